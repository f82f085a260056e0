package dev.authsome.core.spi;

import dev.authsome.core.ResolvedProvider;
import java.util.List;
import java.util.Optional;

/**
 * The providers available: user files, drop-in plugin jars and bundled jars, resolved by precedence. The plugin host
 * implements it over an index, so listing never opens every jar.
 */
public interface ProviderCatalogue {

  /** The effective definition of {@code name}, if any. */
  Optional<ResolvedProvider> find(String name);

  /** Every effective provider, sorted by name. */
  List<ResolvedProvider> list();

  /** Warnings collected while reading (shadowed definitions, jars that failed to load); for stderr and doctor. */
  List<String> warnings();

  /** An extension contributed by the provider's plugin jar (quirks), loading the jar only now. */
  default <T> Optional<T> extension(String provider, Class<T> type) {
    return Optional.empty();
  }
}
