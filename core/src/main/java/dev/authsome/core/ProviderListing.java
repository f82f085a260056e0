package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A provider with its connections, for {@code list} and {@code inspect}. */
public record ProviderListing(ResolvedProvider provider, List<ConnectionSummary> connections) {
  public ProviderListing {
    requireNonNull(provider, "provider");
    connections = List.copyOf(connections);
  }

  /** Whether at least one connection is usable now. */
  public boolean connected() {
    return connections.stream().anyMatch(ConnectionSummary::active);
  }
}
