package dev.authsome.shell.command;

import java.util.function.Consumer;
import sun.misc.Signal;

/** Temporary POSIX signal handlers for the long-running commands ({@code run}, {@code proxy}). */
final class Signals {
  private Signals() {
  }

  /**
   * Handles signal {@code name} (INT, TERM, HUP) with {@code handler} until the returned handle is run; a no-op where
   * the platform lacks the signal or the JVM keeps it (-Xrs). A Java handler, never SIG_IGN: an ignored signal would
   * stay ignored in a child across exec.
   */
  static Runnable handle(String name, Consumer<String> handler) {
    try {
      Signal signal = new Signal(name);
      sun.misc.SignalHandler previous = Signal.handle(signal, s -> handler.accept(s.getName()));
      return () -> Signal.handle(signal, previous);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return () -> { };
    }
  }
}
