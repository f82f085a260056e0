package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The headers that authenticate a request with one connection, and until when they may be reused without asking
 * the vault again (the start of the refresh margin; empty for credentials that do not expire).
 */
public record InjectedCredential(Map<String, Secret> headers, @Nullable Instant reuseUntil) {
  public InjectedCredential {
    requireNonNull(headers, "headers");
    headers = Map.copyOf(headers);
  }

  public Optional<Instant> reuseUntilTime() {
    return Optional.ofNullable(reuseUntil);
  }
}
