package dev.authsome.plugins;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.plugins.internal.HostState;
import dev.authsome.plugins.internal.IndexEntry;
import dev.authsome.plugins.internal.PluginIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugin host: the providers and flows of every plugin jar in the distribution's {@code plugins/} folder and in
 * {@code $AUTHSOME_HOME/plugins/} (drop-in: no rebuild, no configuration), plus the custom definitions in
 * {@code $AUTHSOME_HOME/providers/}.
 *
 * <p>Opening the host reads an index and the jars' sizes and modification times; it opens only jars that are new or
 * changed, and loads a jar with PF4J only when one of its flows or extensions is asked for. A jar that cannot be used
 * is skipped and reported by {@link #problems()}; it never affects the other plugins. Close the host to stop the
 * plugins it loaded.
 */
public final class PluginHost implements AutoCloseable {
  private final HostState state;

  private PluginHost(HostState state) {
    this.state = state;
  }

  /** Opens the host. Never fails because of a plugin; problems are collected instead. */
  public static PluginHost open(PluginHostConfig config) {
    return new PluginHost(new HostState(requireNonNull(config, "config")));
  }

  /** The providers, by precedence: custom files, then drop-in jars, then bundled jars. */
  public ProviderCatalogue catalogue() {
    return state.catalogue();
  }

  /** The installed flows; a flow's jar is loaded when the flow is first asked for. */
  public FlowRegistry flows() {
    return state.flows();
  }

  /** The healthy plugin jars, as indexed (none is loaded for this). */
  public List<PluginInfo> plugins() {
    return state.plugins();
  }

  /**
   * Loads every healthy plugin with PF4J, starts it and loads each extension class it lists: what a command pays
   * for only the plugins it uses, paid for all at once. For a thorough {@code doctor} and the catalogue test.
   *
   * @return the problems found now (also added to {@link #problems()})
   */
  public List<PluginProblem> loadAll() {
    return state.loadAll();
  }

  /** Every jar or definition that could not be used so far, for {@code doctor}. */
  public List<PluginProblem> problems() {
    return state.problems();
  }

  /**
   * Writes the prebuilt {@code index.json} of a folder of plugin jars (done when the distribution is packaged), so
   * that a fresh home does not open every bundled jar on its first command.
   *
   * @return the problems found, one per jar that cannot be used; empty when every jar is fine
   */
  public static List<PluginProblem> writeBundledIndex(Path folder) {
    try {
      List<PluginProblem> problems = new ArrayList<>();
      for (IndexEntry entry : PluginIndex.writeBundled(requireNonNull(folder, "folder"))) {
        if (entry.error() != null) {
          problems.add(new PluginProblem(folder.resolve(entry.path()).toString(), entry.pluginId(), entry.error()));
        }
      }
      return problems;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the plugin index of " + folder, e);
    }
  }

  /** Stops and unloads the plugins this host loaded. */
  @Override
  public void close() {
    state.close();
  }
}
