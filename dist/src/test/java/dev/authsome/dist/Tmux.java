package dev.authsome.dist;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The built {@code bin/authsome} on a real pseudo-terminal: a private tmux server (its own socket, no user config)
 * runs one window of 160x40; tests type with {@code send-keys} and read the screen with {@code capture-pane}.
 * Waiting for what a person would wait for (the prompt, a message) has a generous safety limit so that a hung shell
 * fails the test instead of the build; nothing asserts on time.
 */
final class Tmux implements AutoCloseable {
  static final String PROMPT = "authsome>";
  private static final long SAFETY_LIMIT_SECONDS = 120;

  private final String socket = "authsome-test-" + UUID.randomUUID();
  private final Map<String, String> env;

  private Tmux(Map<String, String> env) {
    this.env = env;
  }

  /** Skips (or with {@code AUTHSOME_TEST_REQUIRE_ALL=1} fails) when tmux is not installed. */
  static void assumeInstalled() {
    boolean installed;
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      installed = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      installed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      installed = false;
    }
    if (!installed) {
      String reason = "tmux is not installed: the interactive shell is tested on a real pseudo-terminal through it";
      if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
        fail(reason);
      }
      System.out.println("SKIPPED: " + reason);
      org.junit.jupiter.api.Assumptions.abort(reason);
    }
  }

  /**
   * Starts {@code bin/authsome} with no arguments in a new session. {@code env} is the whole environment of the
   * program (nothing leaks in from the machine running the tests: no browser, no display, no AUTHSOME_*). When the
   * program ends the window stays, showing {@code [authsome exited N]}.
   */
  static Tmux start(Map<String, String> env) {
    return start(env, new String[0]);
  }

  /** Starts {@code bin/authsome ARGS} the same way (the window then shows {@code [authsome exited N]}). */
  static Tmux start(Map<String, String> env, String... args) {
    return startLauncher(Cli.LAUNCHER, env, args);
  }

  /** Starts another launcher (a copy of the distribution) the same way. */
  static Tmux startLauncher(java.nio.file.Path launcher, Map<String, String> env, String... args) {
    Tmux t = new Tmux(env);
    StringBuilder command = new StringBuilder("env -i");
    env.forEach((k, v) -> command.append(' ').append(k).append('=').append(quote(v)));
    command.append(' ').append(quote(launcher.toString()));
    for (String arg : args) {
      command.append(' ').append(quote(arg));
    }
    command.append("; echo \"[authsome exited $?]\"; sleep 100000");
    // a long `list` must not push the start of the session out of the scrollback the tests read
    t.tmux("start-server", ";", "set-option", "-g", "history-limit", "20000", ";",
        "new-session", "-d", "-x", "160", "-y", "40", command.toString());
    return t;
  }

  /** Types {@code text} literally (no key names). */
  void type(String text) {
    tmux("send-keys", "-t", "0", "-l", text);
  }

  /** Presses keys by tmux name: {@code Enter}, {@code Tab}, {@code C-c}, {@code C-d}, {@code C-r}, {@code Up}. */
  void press(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", "0"));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** The screen and scrollback as text, wrapped lines joined. */
  String screen() {
    return tmux("capture-pane", "-p", "-J", "-S", "-20000", "-t", "0");
  }

  /** The screen with its colour escape sequences. */
  String screenWithEscapes() {
    return tmux("capture-pane", "-p", "-J", "-e", "-S", "-20000", "-t", "0");
  }

  /** Waits until the screen satisfies {@code condition}; fails with the screen after the safety limit. */
  String waitFor(String what, Predicate<String> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_LIMIT_SECONDS);
    while (true) {
      String screen = screen();
      if (condition.test(screen)) {
        return screen;
      }
      if (System.nanoTime() > deadline) {
        fail("waited " + SAFETY_LIMIT_SECONDS + " s for " + what + "; the screen:\n" + screen);
      }
      sleep(100);
    }
  }

  /** Waits until the screen shows {@code text}. */
  String waitForText(String text) {
    return waitFor("'" + text + "'", s -> s.contains(text));
  }

  /**
   * Waits for an empty prompt on the last line: the shell is reading a line and the tty is in raw mode, so typing
   * now is neither echoed twice nor lost.
   */
  String waitForPrompt() {
    return waitFor("an empty 'authsome> ' prompt", s -> lastLine(s).equals(PROMPT));
  }

  /** The last non-blank line of the screen, stripped. */
  static String lastLine(String screen) {
    String[] lines = screen.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }

  /** Types a command line, presses Enter and waits for the next prompt; returns the screen. */
  String run(String line) {
    int before = count(screen(), PROMPT);
    type(line);
    press("Enter");
    return waitFor("the prompt after '" + line + "'", s -> count(s, PROMPT) > before && lastLine(s).equals(PROMPT));
  }

  /** The shell's JVM: the {@code java} process below the window's shell. */
  ProcessHandle java() {
    String pid = tmux("display-message", "-p", "-t", "0", "#{pane_pid}").strip();
    return ProcessHandle.of(Long.parseLong(pid)).stream().flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst().orElseThrow(() -> new AssertionError("no java process below the tmux window"));
  }

  static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private String tmux(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(SAFETY_LIMIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("tmux " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Ends the tmux server and everything running in it. */
  @Override
  public void close() {
    // the shell's processes, so that close returns only once nothing writes to the home any more
    List<ProcessHandle> running = new ArrayList<>();
    try {
      String pid = tmux("display-message", "-p", "-t", "0", "#{pane_pid}").strip();
      ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
        running.add(p);
        p.descendants().forEach(running::add);
      });
    } catch (AssertionError | NumberFormatException e) {
      // no pane any more: nothing to wait for
    }
    try {
      new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start().waitFor(30,
          TimeUnit.SECONDS);
      for (ProcessHandle p : running) {
        p.destroy();
        p.onExit().get(SAFETY_LIMIT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the shell did not end: " + e, e);
    } catch (IOException e) {
      // the server is gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The environment a person's terminal would give the shell, for {@code home}. */
  static Map<String, String> environment(Path home) {
    Map<String, String> env = new java.util.TreeMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", home.toString());
    env.put("TERM", "xterm-256color");
    env.put("LANG", "C.UTF-8");
    env.put("AUTHSOME_HOME", home.toString());
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null) {
      env.put("JAVA_HOME", javaHome);
    }
    return env;
  }
}
