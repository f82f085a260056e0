package dev.authsome.plugins.internal;

import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderSource;
import dev.authsome.plugins.PluginHostConfig;
import dev.authsome.plugins.PluginInfo;
import dev.authsome.plugins.PluginProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the host builds on open: the jars of both folders, each described by the home index when its path,
 * size and modification time match, else by the bundled folder's prebuilt index when its name and size match, else
 * by opening it. The home index is rewritten only when something changed.
 */
public final class HostState implements AutoCloseable {
  private final Warnings warnings = new Warnings();
  private final List<Located> located = new ArrayList<>();
  private final PluginRuntime runtime;
  private final HostCatalogue catalogue;
  private final HostFlowRegistry flows;

  public HostState(PluginHostConfig config) {
    Map<String, IndexEntry> homeIndex = PluginIndex.read(config.indexFile());
    Map<String, IndexEntry> bundledIndex = null;
    boolean changed = false;
    List<IndexEntry> current = new ArrayList<>();
    List<Path> roots = new ArrayList<>();
    roots.add(config.homePlugins());
    config.bundled().ifPresent(roots::add);
    for (Path root : roots) {
      ProviderSource source = root.equals(config.homePlugins()) ? ProviderSource.PLUGIN : ProviderSource.BUNDLED;
      List<Path> jars;
      try {
        jars = PluginIndex.jars(root);
      } catch (IOException e) {
        warnings.warn("Cannot list plugin folder " + root + " (" + JarScanner.oneLine(e) + "); its plugins are "
            + "ignored.");
        continue;
      }
      for (Path jar : jars) {
        Path absolute = jar.toAbsolutePath().normalize();
        String key = absolute.toString();
        long size;
        long mtime;
        try {
          BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
          if (!attributes.isRegularFile()) {
            continue; // a folder or device named *.jar
          }
          size = attributes.size();
          mtime = attributes.lastModifiedTime().toMillis();
        } catch (IOException e) {
          warnings.problem(new PluginProblem(key, null, "cannot read its attributes (" + JarScanner.oneLine(e)
              + ")"));
          continue;
        }
        IndexEntry entry = homeIndex.get(key);
        if (entry == null || entry.size() != size || entry.mtime() != mtime) {
          entry = null;
          if (source == ProviderSource.BUNDLED) {
            if (bundledIndex == null) {
              bundledIndex = PluginIndex.read(root.resolve(PluginIndex.BUNDLED_INDEX));
            }
            IndexEntry prebuilt = bundledIndex.get(jar.getFileName().toString());
            if (prebuilt != null && prebuilt.size() == size) {
              entry = prebuilt.withPath(key, mtime);
            }
          }
          if (entry == null) {
            entry = JarScanner.scan(absolute, key, size, mtime);
          }
          changed = true;
        }
        current.add(entry);
        located.add(new Located(entry, absolute, source));
        if (entry.error() != null) {
          warnings.problem(new PluginProblem(key, entry.pluginId(), entry.error()));
        }
      }
    }
    if ((changed || current.size() != homeIndex.size()) && config.writeIndex()) {
      try {
        PluginIndex.write(config.indexFile(), current);
      } catch (IOException | RuntimeException e) {
        // a read-only home still works, it just pays for scanning again next time
        warnings.warn("Cannot write the plugin index " + config.indexFile() + " (" + JarScanner.oneLine(e)
            + "); plugins will be scanned again next time.");
      }
    }
    runtime = new PluginRuntime(roots, warnings);
    flows = new HostFlowRegistry(located, warnings, runtime);
    Set<String> knownFlows = new LinkedHashSet<>(ProviderDefinitions.BUILTIN_FLOWS);
    knownFlows.addAll(flows.ids());
    catalogue = new HostCatalogue(config.customProviders(), located, knownFlows, warnings, runtime);
  }

  public HostCatalogue catalogue() {
    return catalogue;
  }

  public HostFlowRegistry flows() {
    return flows;
  }

  public List<PluginProblem> problems() {
    return warnings.problems();
  }

  public List<PluginInfo> plugins() {
    List<PluginInfo> result = new ArrayList<>();
    for (Located l : located) {
      IndexEntry e = l.entry();
      if (l.healthy() && e.pluginId() != null) {
        Object name = e.provider() == null ? null : e.provider().get("name");
        result.add(new PluginInfo(e.pluginId(), l.source(), l.jar(), e.flows(),
            name instanceof String s ? s : null, e.extensions()));
      }
    }
    return result;
  }

  /** Loads every healthy plugin with PF4J and its extension classes; returns the problems found. */
  public List<PluginProblem> loadAll() {
    List<PluginProblem> found = new ArrayList<>();
    List<Located> ordered = new ArrayList<>(located);
    ordered.sort(java.util.Comparator.comparing(Located::source));
    Set<String> ids = new java.util.HashSet<>();
    for (Located l : ordered) {
      // PF4J holds one plugin per id: a drop-in jar that replaces a bundled one of the same id wins, as in lookups
      if (l.healthy() && ids.add(l.entry().pluginId())) {
        PluginProblem problem = runtime.check(l);
        if (problem != null) {
          found.add(problem);
        }
      }
    }
    return found;
  }

  /** For tests: the jars PF4J has loaded so far. */
  public Set<Path> loadedJars() {
    return runtime.loadedJars();
  }

  /** For tests: how many jars were opened with java.util.zip in this process. */
  public static int jarsOpened() {
    return JarScanner.OPENED.get();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
