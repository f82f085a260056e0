package dev.authsome.plugins.internal;

import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * PF4J's plugin class loader, refusing authsome's internal packages ({@link InternalPackages}). On the class path
 * every class of the application is reachable through the parent loader, and a plugin that links against, say,
 * {@code dev.authsome.core.internal} would work until that package changes; refused here, it fails when loaded,
 * with a message that says what to use instead. It is a boundary against accidental coupling, not a sandbox: code
 * in the same process can always reach another class loader by reflection.
 */
final class GuardedPluginClassLoader extends PluginClassLoader {
  private final InternalPackages internal;

  GuardedPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent,
      InternalPackages internal) {
    super(manager, descriptor, parent);
    this.internal = internal;
  }

  @Override
  public Class<?> loadClass(String className) throws ClassNotFoundException {
    if (className.startsWith(InternalPackages.PREFIX)) {
      String module = internal.module(className).orElse(null);
      if (module != null) {
        throw new InternalClassRefused(className, className.substring(0, className.lastIndexOf('.')), module);
      }
    }
    return super.loadClass(className);
  }

  /** Why a plugin's class could not be loaded: it uses a package internal to authsome. */
  static final class InternalClassRefused extends ClassNotFoundException {
    private static final long serialVersionUID = 1L;

    InternalClassRefused(String className, String packageName, String module) {
      super(className + " is in package " + packageName + ", which is internal to authsome (module " + module
          + ", not exported) and not available to plugins; plugins must use the dev.authsome.core.spi API"
          + " (and the other exported authsome packages)");
    }
  }
}
