package dev.authsome.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.nativ.JLineNativeLoader;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * How authsome opens the system terminal, for the interactive shell and for masked prompts.
 *
 * <p>JLine reaches the terminal through a provider. Its exec provider runs {@code stty} for every mode change and
 * size query (26 processes before the shell's first prompt); its FFM provider spins method handles at start. The JNI
 * provider makes the same system calls directly. JLine also tries every provider it is not told to skip (each one
 * asks whether standard output is a terminal: for exec that is one more process), and asks {@code infocmp} for the
 * terminal's capabilities even for the common types it carries itself. Measured on the bundled runtime, first
 * prompt: 1.0 s with the defaults, 0.62 s with JNI; see docs/performance.md. Exec stays the fallback where JLine has
 * no native library for the platform.
 */
public final class SystemTerminal {
  /** Where the distribution unpacks JLine's native libraries, as {@code OS/arch/library} below lib/ext. */
  static final String NATIVE_FOLDER = "lib/ext/jline-native";

  private SystemTerminal() {}

  /** A builder for the system terminal with authsome's providers; the caller adds its own options. */
  public static TerminalBuilder builder() {
    useShippedNativeLibrary();
    useBuiltInCapabilities();
    // exec only where the JNI library cannot load: merely offering it costs a process (`test -t 1`)
    return TerminalBuilder.builder().system(true).ffm(false).jansi(false).jna(false).jni(true)
        .exec(!JniLibrary.LOADS);
  }

  /** Whether JLine's JNI library loads here; asked once per process. */
  private static final class JniLibrary {
    static final boolean LOADS = loads();

    private static boolean loads() {
      try {
        return JLineNativeLoader.initialize();
      } catch (RuntimeException | LinkageError e) {
        return false; // an unknown platform or a library that will not load: the exec provider takes over
      }
    }
  }

  /**
   * For the terminal types JLine carries a description of (xterm, xterm-256color, screen, rxvt, ansi, ...), uses
   * that description instead of running {@code infocmp} at every start; other types still ask {@code infocmp}.
   */
  private static void useBuiltInCapabilities() {
    String type = System.getenv("TERM");
    if (type == null || type.isEmpty() || InfoCmp.getLoadedInfoCmp(type) != null) {
      return;
    }
    String builtIn = InfoCmp.getDefaultInfoCmp(type);
    if (builtIn != null) {
      InfoCmp.setLoadedInfoCmp(type, builtIn);
    }
  }

  /**
   * Points JLine at the native library shipped in the distribution. Without it, JLine extracts the library from its
   * jar into the temporary folder at every start (and sweeps that folder for old copies); where the folder is
   * missing (a run from the build tree, an unknown platform), JLine still falls back to that.
   */
  private static void useShippedNativeLibrary() {
    String appHome = System.getProperty("authsome.app.home");
    if (appHome == null || System.getProperty("library.jline.path") != null) {
      return;
    }
    Path natives = Path.of(appHome).resolve(NATIVE_FOLDER);
    if (Files.isDirectory(natives)) {
      System.setProperty("library.jline.path", natives.toString());
    }
  }
}
