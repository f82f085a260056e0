package dev.authsome.plugins.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.InvalidModuleDescriptorException;
import java.lang.module.ModuleDescriptor;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The packages of authsome's own modules that plugins must not use: every package of a {@code dev.authsome.*} module
 * that its descriptor does not export to everyone. On the module path JPMS already keeps plugins out of them; on the
 * class path (the default launch) nothing would, so {@link GuardedPluginClassLoader} refuses them by this answer. It
 * is read from the module descriptors themselves, so that a package exported or made internal later needs no second
 * list kept in step.
 *
 * <p>A plugin's own packages may also start with {@code dev.authsome.} (the bundled flows' {@code dev.authsome.flow.*}
 * are plugin jars without a descriptor): only packages of a module the application itself loads count.
 *
 * <p>On the class path the answer is found per package, when a plugin first asks for one: the application class
 * loader says which jar (or folder) holds the package, and that jar's {@code module-info.class} says whether it is
 * exported. Reading the descriptor of every jar up front would cost a second on a cold JVM (about a hundred jars).
 */
final class InternalPackages {
  static final String PREFIX = "dev.authsome.";

  private final @Nullable ClassLoader application;
  /** Package name to the module keeping it internal; empty for a package plugins may use. */
  private final Map<String, Optional<String>> byPackage = new ConcurrentHashMap<>();
  /** Class path location to its descriptor; empty for a location without one. */
  private final Map<String, Optional<ModuleDescriptor>> byLocation = new ConcurrentHashMap<>();

  private InternalPackages(@Nullable ClassLoader application, Map<String, Optional<String>> known) {
    this.application = application;
    byPackage.putAll(known);
  }

  /** Read from the modules the application runs: its module layer on the module path, else its class path. */
  static InternalPackages of(ClassLoader application) {
    Module self = InternalPackages.class.getModule();
    ModuleLayer layer = self.getLayer();
    if (self.isNamed() && layer != null) {
      return from(layer.modules().stream().map(Module::getDescriptor).toList());
    }
    return new InternalPackages(application, Map.of());
  }

  /** From complete descriptors (each listing all its packages), as the module path has them. */
  static InternalPackages from(List<ModuleDescriptor> descriptors) {
    Map<String, Optional<String>> internal = new HashMap<>();
    for (ModuleDescriptor d : descriptors) {
      if (!d.name().startsWith(PREFIX)) {
        continue;
      }
      for (String p : d.packages()) {
        if (!exported(d, p)) {
          internal.put(p, Optional.of(d.name()));
        }
      }
    }
    return new InternalPackages(null, internal);
  }

  /**
   * The module that keeps the package of {@code className} internal, or empty when plugins may use it (exported, a
   * plugin's own, or not authsome's).
   */
  Optional<String> module(String className) {
    int dot = className.lastIndexOf('.');
    if (!className.startsWith(PREFIX) || dot < 0) {
      return Optional.empty();
    }
    String packageName = className.substring(0, dot);
    Optional<String> known = byPackage.get(packageName);
    if (known != null || application == null) {
      return known == null ? Optional.empty() : known;
    }
    // read outside the map's lock: it opens a jar; two threads may both read, with the same answer
    Optional<String> found = lookUp(application, packageName, className);
    Optional<String> raced = byPackage.putIfAbsent(packageName, found);
    return raced != null ? raced : found;
  }

  private Optional<String> lookUp(ClassLoader loader, String packageName, String className) {
    // the class itself says which jar holds its package; for a class the application lacks (one a plugin jar brings
    // into a package of authsome's), the package's folder entry does (Maven writes folder entries into jars)
    String resource = className.replace('.', '/') + ".class";
    URL url = loader.getResource(resource);
    if (url == null) {
      resource = packageName.replace('.', '/') + "/";
      url = loader.getResource(resource);
    }
    if (url == null) {
      return Optional.empty();
    }
    String location = location(url, resource);
    if (location == null) {
      return Optional.empty();
    }
    Optional<ModuleDescriptor> descriptor = byLocation.get(location);
    if (descriptor == null) {
      descriptor = Optional.ofNullable(descriptor(location));
      byLocation.putIfAbsent(location, descriptor);
    }
    return descriptor.filter(d -> d.name().startsWith(PREFIX) && !exported(d, packageName))
        .map(ModuleDescriptor::name);
  }

  private static boolean exported(ModuleDescriptor d, String packageName) {
    return d.exports().stream().anyMatch(e -> e.source().equals(packageName) && !e.isQualified());
  }

  /** The URL of {@code module-info.class} next to where {@code url} (the resource {@code resource}) was found. */
  private static @Nullable String location(URL url, String resource) {
    String text = url.toString();
    if ("jar".equals(url.getProtocol()) || "file".equals(url.getProtocol())) {
      return text.endsWith(resource) ? text.substring(0, text.length() - resource.length()) + "module-info.class"
          : null;
    }
    return null;
  }

  private static @Nullable ModuleDescriptor descriptor(String location) {
    try {
      URL url = new URL(location);
      if ("file".equals(url.getProtocol()) && !Files.isRegularFile(Path.of(url.toURI()))) {
        return null;
      }
      var connection = url.openConnection();
      if (connection instanceof JarURLConnection jar) {
        // the application class loader keeps its own handle on the jar; this one is closed after the read
        jar.setUseCaches(false);
      }
      try (InputStream in = connection.getInputStream()) {
        return ModuleDescriptor.read(in);
      }
    } catch (IOException | URISyntaxException | InvalidModuleDescriptorException | IllegalArgumentException e) {
      // no descriptor there (a jar without one throws FileNotFoundException): not an authsome module
      return null;
    }
  }
}
