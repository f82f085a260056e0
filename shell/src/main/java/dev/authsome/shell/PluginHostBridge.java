package dev.authsome.shell;

import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import dev.authsome.plugins.PluginProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The plugin host over the distribution's {@code plugins/} folder (found through the launcher's
 * {@code -Dauthsome.app.home}) and the home's drop-in folder. Opened only by commands that need a provider or flow.
 */
final class PluginHostBridge implements App.Plugins {
  private final PluginHost host;

  private PluginHostBridge(PluginHost host) {
    this.host = host;
  }

  static App.Plugins open(Path home) {
    String appHome = System.getProperty("authsome.app.home");
    @Nullable Path bundled = appHome == null ? null : Path.of(appHome, "plugins");
    // a read-only home still lists and resolves providers; it only cannot keep its index up to date. Nor does a home
    // that does not exist yet: a command that only looks must not create it for a cache.
    boolean writable = Files.isDirectory(home) && Files.isWritable(home);
    return new PluginHostBridge(PluginHost.open(new PluginHostConfig(home, bundled, writable)));
  }

  @Override
  public ProviderCatalogue catalogue() {
    return host.catalogue();
  }

  @Override
  public FlowRegistry flows() {
    return host.flows();
  }

  @Override
  public List<String> problems() {
    return host.problems().stream().map(PluginProblem::toString).toList();
  }

  @Override
  public void close() {
    host.close();
  }
}
