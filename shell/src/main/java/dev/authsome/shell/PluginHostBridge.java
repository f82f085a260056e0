package dev.authsome.shell;

import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.ProviderCatalogue;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Connects the shell to the plugin host (interim: no plugin host in the build yet, so nothing is installed). */
final class PluginHostBridge implements App.Plugins {
  private PluginHostBridge() {
  }

  static App.Plugins open(Path home) {
    return new PluginHostBridge();
  }

  @Override
  public ProviderCatalogue catalogue() {
    return new ProviderCatalogue() {
      @Override
      public Optional<ResolvedProvider> find(String name) {
        return Optional.empty();
      }

      @Override
      public List<ResolvedProvider> list() {
        return List.of();
      }

      @Override
      public List<String> warnings() {
        return List.of();
      }
    };
  }

  @Override
  public FlowRegistry flows() {
    return new FlowRegistry() {
      @Override
      public SortedSet<String> ids() {
        return new TreeSet<>();
      }

      @Override
      public Optional<AuthFlow> flow(String id) {
        return Optional.empty();
      }
    };
  }

  @Override
  public List<String> problems() {
    return List.of("the plugin host is not part of this build");
  }
}
