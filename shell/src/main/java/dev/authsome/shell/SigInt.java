package dev.authsome.shell;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a login: the JVM's default would end the process with 130 and leave the loopback port and a
 * half-written state behind. Instead the first SIGINT interrupts the login thread, which unwinds with an
 * {@code INPUT_CANCELLED} error (exit 8); a second one exits at once with 8.
 */
final class SigInt implements App.Restorer {
  private static final Signal INT = new Signal("INT");
  private final SignalHandler previous;

  private SigInt(Thread target) {
    SignalHandler handler = new SignalHandler() {
      private boolean interrupted;

      @Override
      public synchronized void handle(Signal signal) {
        if (interrupted) {
          Runtime.getRuntime().halt(dev.authsome.core.ErrorCode.INPUT_CANCELLED.exitCode());
        }
        interrupted = true;
        target.interrupt();
      }
    };
    this.previous = Signal.handle(INT, handler);
  }

  /** Routes SIGINT to interrupting {@code target} until closed; a no-op where signals cannot be handled. */
  static App.Restorer interrupting(Thread target) {
    try {
      return new SigInt(target);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return () -> {
      };
    }
  }

  @Override
  public void close() {
    Signal.handle(INT, previous);
  }
}
