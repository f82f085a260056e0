package dev.authsome.plugins;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the plugin host looks.
 *
 * @param home the authsome home: {@code providers/} (custom definitions), {@code plugins/} (drop-in jars) and
 *     {@code cache/plugin-index.json} live there
 * @param bundledPlugins the distribution's {@code plugins/} folder, if any; may hold a prebuilt {@code index.json}
 * @param writeIndex whether to keep {@code cache/plugin-index.json} up to date (off for a read-only home or a test
 *     that must leave the home untouched); reading an existing index does not depend on it
 */
public record PluginHostConfig(Path home, @Nullable Path bundledPlugins, boolean writeIndex) {

  public PluginHostConfig {
    requireNonNull(home, "home");
  }

  /** The usual configuration: both folders, index kept up to date. */
  public static PluginHostConfig of(Path home, @Nullable Path bundledPlugins) {
    return new PluginHostConfig(home, bundledPlugins, true);
  }

  public Optional<Path> bundled() {
    return Optional.ofNullable(bundledPlugins);
  }

  /** {@code $AUTHSOME_HOME/plugins}. */
  public Path homePlugins() {
    return home.resolve("plugins");
  }

  /** {@code $AUTHSOME_HOME/providers}. */
  public Path customProviders() {
    return home.resolve("providers");
  }

  /** {@code $AUTHSOME_HOME/cache/plugin-index.json}. */
  public Path indexFile() {
    return home.resolve("cache").resolve("plugin-index.json");
  }
}
