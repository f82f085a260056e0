/**
 * Service provider interfaces: {@link dev.authsome.core.spi.AuthFlow} (flow plugins),
 * {@link dev.authsome.core.spi.ProviderCatalogue} and {@link dev.authsome.core.spi.FlowRegistry} (the plugin host),
 * {@link dev.authsome.core.spi.VaultProvider} (vault backends, by ServiceLoader) and
 * {@link dev.authsome.core.spi.InputCollector} (where secrets come from). Exported to everyone, because PF4J loads
 * plugins into unnamed modules, which read only unqualified exports.
 */
@NullMarked
package dev.authsome.core.spi;

import org.jspecify.annotations.NullMarked;
