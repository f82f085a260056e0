package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Per-provider bookkeeping that is not a credential: the default connection and the last refresh outcome.
 */
public record ProviderState(
    int schemaVersion,
    String provider,
    String profile,
    String defaultConnection,
    @Nullable Instant lastRefreshAt,
    @Nullable String lastRefreshError,
    Map<String, Object> metadata) {

  public ProviderState {
    requireNonNull(provider, "provider");
    requireNonNull(profile, "profile");
    requireNonNull(defaultConnection, "defaultConnection");
    metadata = Map.copyOf(metadata);
  }
}
