package dev.authsome.plugins.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Wraps an extension so that every call into plugin code turns an unexpected failure (any exception other than an
 * {@link AuthsomeException}, or a linkage error from a missing class) into an {@link AuthsomeException} naming the
 * plugin. A broken plugin then fails one command with a clear message and never takes the process down.
 */
final class Guard {
  private Guard() {
  }

  static <T> T wrap(Class<T> type, T target, String pluginLabel) {
    if (!type.isInterface()) {
      return target;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "plugin " + pluginLabel + ": " + target;
        };
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof AuthsomeException || cause instanceof Error && !(cause instanceof LinkageError)) {
          throw cause;
        }
        throw new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + pluginLabel + " failed in "
            + method.getName() + ": " + JarScanner.oneLine(cause) + "; report it to the plugin's author or remove"
            + " the jar.", cause);
      } catch (IllegalAccessException | LinkageError e) {
        throw new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + pluginLabel + " cannot be called ("
            + JarScanner.oneLine(e) + "); remove or replace the jar.", e);
      }
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
