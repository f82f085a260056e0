package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a logout.
 *
 * @param connection the connection name (the default connection when none was given)
 * @param existed false when there was nothing to log out of (not an error)
 * @param revocation what revoking the tokens at the provider achieved; null when nothing existed
 */
public record LogoutResult(String provider, String connection, boolean existed, @Nullable Revocation revocation) {
  public LogoutResult {
    requireNonNull(provider, "provider");
    requireNonNull(connection, "connection");
  }

  /** A result without a revocation outcome (nothing existed). */
  public LogoutResult(String provider, String connection, boolean existed) {
    this(provider, connection, existed, null);
  }
}
