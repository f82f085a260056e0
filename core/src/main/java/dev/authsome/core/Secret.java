package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * A secret value (API key, client secret, token) that never shows itself in {@code toString()}, logs or exception
 * messages. Call {@link #reveal()} only where the value must leave the process (an HTTP request, the vault,
 * {@code export}).
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(requireNonNull(value, "value"));
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***REDACTED***";
  }
}
