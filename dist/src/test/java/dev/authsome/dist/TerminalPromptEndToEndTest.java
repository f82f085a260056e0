package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authsome login} on a real pseudo-terminal (tmux): the key is asked for with a masked prompt and never shown
 * on the screen. Skips with a printed reason when tmux is missing, unless {@code AUTHSOME_TEST_REQUIRE_ALL=1}.
 */
class TerminalPromptEndToEndTest {
  static final String KEY = "sk-terminalTYPED0123456789abcdef";

  @TempDir Path home;
  String server;

  @BeforeEach
  void setUp() throws Exception {
    Cli.assumeComplete();
    if (exec("tmux", "-V").exit != 0) {
      String reason = "tmux is not installed; the terminal prompt test needs it";
      if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
        fail(reason);
      }
      System.out.println("SKIPPED: " + reason);
      org.junit.jupiter.api.Assumptions.abort(reason);
    }
    server = "authsome-e2e-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      exec("tmux", "-L", server, "kill-server");
    }
  }

  @Test
  void loginOnATerminal_asksForTheKeyMasked_andNeverShowsIt() throws Exception {
    Path script = Files.writeString(home.resolveSibling(home.getFileName() + "-login.sh"), String.join("\n",
        "#!/bin/sh",
        // a clean environment: no browser, no display, no session bus, so the terminal prompt is the input source
        "exec env -i PATH=\"" + System.getenv("PATH") + "\" HOME=\"" + home + "\" TERM=xterm"
            + " JAVA_HOME=\"" + System.getProperty("java.home") + "\" AUTHSOME_HOME=\"" + home + "\""
            + " sh -c '\"$0\" login openai; echo \"EXIT=$?\"; sleep 600' \"" + Cli.LAUNCHER + "\"",
        ""));
    script.toFile().setExecutable(true);
    check(exec("tmux", "-L", server, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40",
        script.toString()));

    String prompt = waitForScreen(s -> s.contains("API key for OpenAI"));
    assertThat(prompt).contains("OpenAI API key");
    check(exec("tmux", "-L", server, "send-keys", "-l", KEY));
    check(exec("tmux", "-L", server, "send-keys", "Enter"));

    String screen = waitForScreen(s -> s.contains("EXIT="));
    assertThat(screen).contains("Successfully logged in to openai (default).").contains("EXIT=0");
    assertThat(screen).as("the typed key must never be shown").doesNotContain(KEY).doesNotContain("sk-terminal");

    Cli cli = new Cli(home);
    assertThat(cli.run("get", "openai", "--field", "api_key", "--show-secret").out().strip()).isEqualTo(KEY);
  }

  private String waitForScreen(Predicate<String> ready) throws Exception {
    // polls for a condition, not a duration; the safety limit only stops a hung test
    for (int i = 0; i < 1200; i++) {
      String screen = exec("tmux", "-L", server, "capture-pane", "-p", "-J", "-S", "-200").out;
      if (ready.test(screen)) {
        return screen;
      }
      Thread.sleep(100);
    }
    fail("the terminal never showed what was expected; screen:\n"
        + exec("tmux", "-L", server, "capture-pane", "-p", "-J", "-S", "-200").out);
    return "";
  }

  private record Exec(int exit, String out) {
  }

  private static void check(Exec e) {
    assertThat(e.exit).as(e.out).isZero();
  }

  private static Exec exec(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Exec(127, e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Exec(p.waitFor(), out);
  }
}
