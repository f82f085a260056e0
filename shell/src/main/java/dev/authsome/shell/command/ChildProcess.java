package dev.authsome.shell.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the command of {@code authsome run} the way a shell runs a foreground job: no shell in between, the terminal
 * inherited, the environment replaced, and the child's exit status passed through.
 *
 * <ul>
 *   <li>127 when the command is not found and 126 when it cannot be executed, each with a one-line error (the
 *       shell's codes); 128+N when the child dies of signal N (the JDK already reports it so).</li>
 *   <li>SIGTERM and SIGHUP sent to authsome are forwarded to the child, which decides when to stop; authsome exits
 *       when it does.</li>
 *   <li>SIGINT is swallowed by authsome while the child runs: a terminal's Ctrl-C goes to the whole foreground
 *       process group, so the child already gets it once; authsome must outlive the child to stop the proxy and
 *       delete the per-run files. A Java handler is installed rather than SIG_IGN, because an ignored signal would
 *       stay ignored in the child across exec.</li>
 * </ul>
 */
final class ChildProcess {
  /** Exit status when the command is not found (as in POSIX shells). */
  static final int NOT_FOUND = 127;
  /** Exit status when the command exists but cannot be executed. */
  static final int NOT_EXECUTABLE = 126;

  private ChildProcess() {
  }

  /**
   * Runs {@code command} to completion and returns its exit status.
   *
   * @param environment the child's whole environment (nothing is inherited beyond it)
   * @param error receives the one-line error when the command cannot be started
   * @param handBackInterrupt whether to restore the previous SIGINT handler when the child ends (the interactive
   *     shell); a one-shot run keeps ignoring it until it exits with the child's status
   */
  static int run(List<String> command, Map<String, String> environment, Consumer<String> error,
      boolean handBackInterrupt) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
    pb.environment().clear();
    pb.environment().putAll(environment);
    Forwarder forwarder = new Forwarder();
    List<Runnable> restores = new ArrayList<>();
    try {
      // A Ctrl-C reaches the whole foreground process group: the child decides what it means, authsome outlives
      // it. The JVM dispatches a signal on its own thread, which looks the handler up when it gets to it: that may be
      // after the child has already exited on the same Ctrl-C, so a one-shot run must not put the JVM's default
      // handler (exit 130) back before it exits with the child's status.
      Runnable restoreInterrupt = Signals.handle("INT", s -> { });
      if (handBackInterrupt) {
        restores.add(restoreInterrupt);
      }
      restores.add(Signals.handle("TERM", forwarder::forward));
      restores.add(Signals.handle("HUP", forwarder::forward));
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        return cannotStart(command.get(0), e, error);
      }
      forwarder.attach(process);
      return waitFor(process);
    } finally {
      restores.forEach(Runnable::run);
    }
  }

  private static int cannotStart(String program, IOException e, Consumer<String> error) {
    String message = String.valueOf(e.getMessage());
    // The JDK reports the errno as "error=N, text" (Java 17, Linux and macOS alike) or, when it starts children
    // through jspawnhelper (newer JDKs, like the bundled runtime), as "Exec failed, error: N (text)".
    var errno = java.util.regex.Pattern.compile("error(?:=|: )(\\d+)(?:, | \\()?([^)]*)").matcher(message);
    if (errno.find()) {
      if (errno.group(1).equals("2")) {
        error.accept(program + ": command not found");
        return NOT_FOUND;
      }
      String reason = errno.group(2).strip();
      error.accept(program + ": cannot execute (" + (reason.isEmpty() ? "error " + errno.group(1) : reason) + ")");
      return NOT_EXECUTABLE;
    }
    error.accept(program + ": cannot execute (" + message + ")");
    return NOT_EXECUTABLE;
  }

  private static int waitFor(Process process) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor();
        } catch (InterruptedException e) {
          interrupted = true; // the child decides when the run ends; keep waiting
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Delivers TERM and HUP to the child; one that arrives before the child started is delivered once it has. */
  private static final class Forwarder {
    private @Nullable Process process;
    private final List<String> pending = new ArrayList<>();

    synchronized void attach(Process started) {
      process = started;
      pending.forEach(s -> send(started, s));
      pending.clear();
    }

    synchronized void forward(String signal) {
      if (process == null) {
        pending.add(signal);
      } else {
        send(process, signal);
      }
    }

    private static void send(Process process, String signal) {
      if (!process.isAlive()) {
        return;
      }
      if (signal.equals("TERM")) {
        process.destroy(); // SIGTERM on POSIX systems
        return;
      }
      try {
        // no JDK API sends any other signal: kill(1) does, without a shell
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      } catch (IOException e) {
        process.destroy(); // no kill(1): a terminal hang-up still ends the child
      }
    }
  }
}
