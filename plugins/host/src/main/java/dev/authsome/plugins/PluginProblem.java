package dev.authsome.plugins;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A plugin jar or provider file that could not be used: a corrupt jar, a missing manifest entry, an invalid
 * definition, a class that fails to load. Reported by {@code doctor}; never stops the other plugins.
 *
 * @param origin the jar or file
 * @param pluginId the plugin id, when the manifest could be read
 * @param message one line: what is wrong and what to do
 */
public record PluginProblem(String origin, @Nullable String pluginId, String message) {

  public PluginProblem {
    requireNonNull(origin, "origin");
    requireNonNull(message, "message");
  }

  /** The plugin id, when known. */
  public Optional<String> plugin() {
    return Optional.ofNullable(pluginId);
  }

  @Override
  public String toString() {
    return (pluginId == null ? "" : "plugin " + pluginId + " ") + "(" + origin + "): " + message;
  }
}
