package dev.authsome.plugins.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.plugins.PluginProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginFactory;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.DevelopmentPluginLoader;
import org.pf4j.ExtensionFinder;
import org.pf4j.JarPluginLoader;
import org.pf4j.LegacyExtensionFinder;
import org.pf4j.Plugin;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginState;

/**
 * PF4J, started only when a flow or an extension is first needed, and then loading only the jars asked for. Plugin
 * classes see core, the OAuth library and their dependencies through the application class loader (PF4J's parent),
 * except authsome's internal packages ({@link GuardedPluginClassLoader}).
 */
final class PluginRuntime implements AutoCloseable {
  private final List<Path> roots;
  private final Warnings warnings;
  private @Nullable LazyPluginManager manager;
  private final Map<Path, String> started = new LinkedHashMap<>();

  PluginRuntime(List<Path> roots, Warnings warnings) {
    this.roots = List.copyOf(roots);
    this.warnings = warnings;
  }

  /** The extensions of {@code type} in the plugin of {@code located}, loading and starting the jar if needed. */
  synchronized <T> List<T> extensions(Located located, Class<T> type) {
    String label = located.pluginLabel();
    try {
      String pluginId = start(located);
      List<T> result = new ArrayList<>();
      for (T extension : manager().getExtensions(type, pluginId)) {
        result.add(Guard.wrap(type, extension, label));
      }
      return result;
    } catch (AuthsomeException e) {
      warnings.problem(new PluginProblem(located.jar().toString(), located.entry().pluginId(), e.getMessage()));
      throw e;
    } catch (Exception | LinkageError e) {
      AuthsomeException failure = new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + label + " ("
          + located.jar() + ") failed to load: " + JarScanner.oneLine(e) + "; remove or replace the jar.", e);
      warnings.problem(new PluginProblem(located.jar().toString(), located.entry().pluginId(), failure.getMessage()));
      throw failure;
    }
  }

  /**
   * Loads and starts the plugin with PF4J and loads every class its {@code META-INF/extensions.idx} lists, checking
   * each has a public no-argument constructor. Returns null when all is well, else the problem (also recorded).
   */
  synchronized @Nullable PluginProblem check(Located located) {
    try {
      String pluginId = start(located);
      ClassLoader loader = manager().getPluginClassLoader(pluginId);
      for (String className : manager().getExtensionClassNames(pluginId)) {
        Class<?> type = Class.forName(className, true, loader);
        type.getConstructor();
      }
      return null;
    } catch (AuthsomeException e) {
      return record(located, e.getMessage());
    } catch (Exception | LinkageError e) {
      return record(located, "Plugin " + located.pluginLabel() + " (" + located.jar() + ") failed to load: "
          + JarScanner.oneLine(e) + "; remove or replace the jar.");
    }
  }

  private PluginProblem record(Located located, String message) {
    PluginProblem problem = new PluginProblem(located.jar().toString(), located.entry().pluginId(), message);
    warnings.problem(problem);
    return problem;
  }

  private String start(Located located) {
    Path jar = located.jar();
    String id = started.get(jar);
    if (id != null) {
      return id;
    }
    LazyPluginManager pf4j = manager();
    id = pf4j.loadPlugin(jar);
    if (id == null) {
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + located.pluginLabel() + " (" + jar
          + ") could not be loaded by PF4J; check its manifest (Plugin-Id, Plugin-Version).");
    }
    started.put(jar, id);
    PluginState state = pf4j.startPlugin(id);
    if (state != PluginState.STARTED) {
      Throwable failure = pf4j.getPlugin(id).getFailedException();
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + id + " (" + jar + ") did not start (state "
          + state + (failure == null ? "" : ": " + JarScanner.oneLine(failure)) + "); remove or replace the jar.");
    }
    return id;
  }

  private LazyPluginManager manager() {
    if (manager == null) {
      manager = new LazyPluginManager(roots);
    }
    return manager;
  }

  Set<Path> loadedJars() {
    return Set.copyOf(started.keySet());
  }

  /** Stops and unloads plugins one by one: PF4J 3.15's {@code stopPlugins()} fails with a concurrent modification. */
  @Override
  public synchronized void close() {
    if (manager == null) {
      return;
    }
    List<String> ids = new ArrayList<>(started.values());
    java.util.Collections.reverse(ids);
    for (String id : ids) {
      try {
        manager.stopPlugin(id);
      } catch (Exception | LinkageError e) {
        // a plugin that fails to stop must not keep the others from stopping
      }
      try {
        manager.unloadPlugin(id);
      } catch (Exception | LinkageError e) {
        // as above
      }
    }
    started.clear();
    manager = null;
  }

  /** A PF4J manager that never scans its roots: jars are loaded one at a time by path. */
  static final class LazyPluginManager extends DefaultPluginManager {
    private @Nullable InternalPackages internal;

    LazyPluginManager(List<Path> roots) {
      super(roots);
    }

    /** PF4J's loaders, each making a {@link GuardedPluginClassLoader} instead of PF4J's own. */
    @Override
    protected PluginLoader createPluginLoader() {
      return new CompoundPluginLoader()
          .add(new DevelopmentPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
              return guarded(descriptor);
            }
          }, this::isDevelopment)
          .add(new JarPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
              return guarded(descriptor);
            }
          }, this::isNotDevelopment)
          .add(new DefaultPluginLoader(this) {
            @Override
            protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
              return guarded(descriptor);
            }
          }, this::isNotDevelopment);
    }

    private PluginClassLoader guarded(PluginDescriptor descriptor) {
      ClassLoader application = PluginRuntime.class.getClassLoader();
      if (internal == null) {
        // read once, when the first plugin is loaded: commands that load none never pay for it
        internal = InternalPackages.of(application);
      }
      return new GuardedPluginClassLoader(this, descriptor, application, internal);
    }

    @Override
    protected ExtensionFinder createExtensionFinder() {
      // only META-INF/extensions.idx, and only the plugins': the application class path has no extensions
      LegacyExtensionFinder finder = new LegacyExtensionFinder(this) {
        @Override
        public Map<String, Set<String>> readClasspathStorages() {
          return Map.of();
        }
      };
      addPluginStateListener(finder);
      return finder;
    }

    @Override
    protected PluginFactory createPluginFactory() {
      // Plugin-Class is optional for authsome plugins: most have nothing to do on start or stop
      DefaultPluginFactory withClass = new DefaultPluginFactory();
      return wrapper -> {
        String pluginClass = wrapper.getDescriptor().getPluginClass();
        return pluginClass == null || pluginClass.isBlank() ? new Plugin() { } : withClass.create(wrapper);
      };
    }
  }
}
