package dev.authsome.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.FindException;
import java.lang.module.InvalidModuleDescriptorException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The packages of authsome's own modules that plugins must not use: every package of a {@code dev.authsome.*} module
 * that its descriptor does not export to everyone. On the module path JPMS already keeps plugins out of them; on the
 * class path (the default launch) nothing would, so {@link GuardedPluginClassLoader} refuses them by this list. The
 * list is read from the module descriptors themselves, so that a package exported or made internal later needs no
 * second list kept in step.
 *
 * <p>A plugin's own packages may also start with {@code dev.authsome.} (the bundled flows' {@code dev.authsome.flow.*}
 * are plugin jars without a descriptor): only packages of a module the application itself loads count.
 */
final class InternalPackages {
  static final String PREFIX = "dev.authsome.";

  /** Package name to the module it belongs to. */
  private final Map<String, String> internal;

  private InternalPackages(Map<String, String> internal) {
    this.internal = Map.copyOf(internal);
  }

  /** The module that keeps {@code packageName} internal, if it is an internal package of an authsome module. */
  Optional<String> module(String packageName) {
    return Optional.ofNullable(internal.get(packageName));
  }

  Map<String, String> all() {
    return internal;
  }

  /** Read from the modules the application runs: its module layer on the module path, else its class path. */
  static InternalPackages of(ClassLoader application) {
    Module self = InternalPackages.class.getModule();
    List<ModuleDescriptor> descriptors = new ArrayList<>();
    if (self.isNamed() && self.getLayer() != null) {
      self.getLayer().modules().forEach(m -> descriptors.add(m.getDescriptor()));
    } else {
      descriptors.addAll(onClassPath(application));
    }
    return from(descriptors);
  }

  static InternalPackages from(List<ModuleDescriptor> descriptors) {
    Map<String, String> internal = new HashMap<>();
    for (ModuleDescriptor d : descriptors) {
      if (!d.name().startsWith(PREFIX)) {
        continue;
      }
      for (String p : d.packages()) {
        boolean exported = d.exports().stream().anyMatch(e -> e.source().equals(p) && !e.isQualified());
        if (!exported) {
          internal.put(p, d.name());
        }
      }
    }
    return new InternalPackages(internal);
  }

  /**
   * The descriptors of the authsome modules on the class path, each with its full package list: a compiled
   * {@code module-info.class} lists only exported and opened packages, so the jar (or folder) it came from is read
   * again with a {@link ModuleFinder}, which lists every package in it.
   */
  private static List<ModuleDescriptor> onClassPath(ClassLoader application) {
    List<ModuleDescriptor> result = new ArrayList<>();
    try {
      Enumeration<URL> found = application.getResources("module-info.class");
      while (found.hasMoreElements()) {
        URL url = found.nextElement();
        String name = moduleName(url);
        if (name == null || !name.startsWith(PREFIX)) {
          continue;
        }
        Path location = location(url);
        if (location != null) {
          ModuleFinder.of(location).find(name).ifPresent(ref -> result.add(ref.descriptor()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private static @Nullable String moduleName(URL url) {
    try (InputStream in = url.openStream()) {
      return ModuleDescriptor.read(in).name();
    } catch (IOException | InvalidModuleDescriptorException e) {
      // not a module descriptor authsome could have written; someone else's jar
      return null;
    }
  }

  /** The jar or folder a {@code module-info.class} resource is in, or null for a location that is neither. */
  private static @Nullable Path location(URL url) {
    try {
      if ("jar".equals(url.getProtocol())) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        URL jar = connection.getJarFileURL();
        return "file".equals(jar.getProtocol()) ? Path.of(jar.toURI()) : null;
      }
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI()).getParent();
      }
      return null;
    } catch (IOException | URISyntaxException | FindException e) {
      return null;
    }
  }
}
