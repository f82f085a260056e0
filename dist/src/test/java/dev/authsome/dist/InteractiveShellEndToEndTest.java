package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code authsome>} shell as a person uses it: the built distribution on a real pseudo-terminal (tmux), typing
 * keys and reading the screen.
 */
class InteractiveShellEndToEndTest {
  static final String ACME = """
      schema_version: 1
      name: acme-shell
      display_name: Acme Shell
      docs_url: https://docs.acme.example/keys
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: X-Acme-Key
        header_prefix: ""
        key_pattern: '^acme_[a-z0-9]{8,}$'
        key_pattern_hint: Acme keys start with acme_
      api_url:
        - api.acme.example
      """;
  static final String OPENAI_KEY = "sk-shellTEST0123456789abcdefXYZ";

  @TempDir Path home;

  @BeforeEach
  void setUp() throws IOException {
    Cli.assumeComplete();
    Tmux.assumeInstalled();
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/acme-shell.yaml"), ACME);
  }

  private Tmux shell(Map<String, String> extraEnv) {
    Map<String, String> env = Tmux.environment(home);
    env.putAll(extraEnv);
    Tmux t = Tmux.start(env);
    t.waitForPrompt();
    return t;
  }

  @Test
  void tab_completesProviderNames_withDescriptions() {
    try (Tmux t = shell(Map.of())) {
      t.type("login acme-s");
      t.press("Tab");
      t.waitFor("'login acme-shell' completed", s -> Tmux.lastLine(s).equals("authsome> login acme-shell"));
      t.press("C-u");
      t.type("login ope");
      t.press("Tab");
      // several bundled providers start with "ope": they are listed with their display names beside them
      String screen = t.waitFor("the openai candidates", s -> s.contains("openai") && s.contains("OpenAI"));
      assertThat(screen).contains("openrouter");
      t.press("C-u");
      t.type("get acme-shell --fi");
      t.press("Tab");
      t.waitFor("'--field' completed", s -> s.contains("get acme-shell --field"));
      t.type("sta");
      t.press("Tab");
      t.waitFor("'status' completed", s -> s.contains("get acme-shell --field status"));
    }
  }

  /**
   * The shell reaches the terminal through JLine's native library as shipped in lib/ext, not through helper programs:
   * {@code stty}, {@code infocmp} and {@code test} on the PATH are wrappers that note each call, and none is made
   * from the start to the prompt after a command. (JLine's defaults run 26 of them before the first prompt.)
   */
  @Test
  void shell_usesTheShippedNativeTerminalLibrary_andRunsNoHelperProgram() throws IOException {
    Path calls = home.resolve("helper-calls.log");
    try (Tmux t = shell(Map.of("PATH", helperWrappers(calls) + ":" + Tmux.environment(home).get("PATH")))) {
      assertThat(t.run("list")).contains("acme-shell");
      String maps = Files.readString(Path.of("/proc", Long.toString(t.java().pid()), "maps"));
      assertThat(maps).contains(Cli.DIST.toRealPath().resolve("lib/ext/jline-native").toString());
      assertThat(calls).doesNotExist();
    }
  }

  /**
   * Where JLine's native library cannot load (a platform it has none for), the shell still works: JLine falls back to
   * running {@code stty}. Simulated by pointing JLine at a folder without the library and forbidding its extraction.
   */
  @Test
  void shell_withoutTheNativeTerminalLibrary_fallsBackToStty_andStillWorks() throws IOException {
    Path calls = home.resolve("helper-calls.log");
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PATH", helperWrappers(calls) + ":" + Tmux.environment(home).get("PATH"));
    env.put("AUTHSOME_JAVA_OPTS", "-Dlibrary.jline.path=" + home.resolve("no-such-folder")
        + " -Djline.tmpdir=" + home.resolve("no-such-folder"));
    try (Tmux t = shell(env)) {
      loginAcme(t, "acme_fallback1");
      assertThat(t.run("get acme-shell --field status")).contains("\nconnected").doesNotContain("acme_fallback1");
      assertThat(Files.readString(calls)).contains("stty");
    }
  }

  /** A folder of wrappers for stty, infocmp and test that append their name and arguments to {@code log}. */
  private Path helperWrappers(Path log) throws IOException {
    Path bin = Files.createDirectories(home.resolve("helper-wrappers"));
    for (String name : List.of("stty", "infocmp", "test")) {
      Path real = java.util.stream.Stream.of("/usr/bin/" + name, "/bin/" + name).map(Path::of)
          .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(name + " is not installed"));
      Path wrapper = bin.resolve(name);
      Files.writeString(wrapper, "#!/bin/sh\necho \"" + name + " $*\" >> '" + log + "'\nexec '" + real
          + "' \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    }
    return bin;
  }

  @Test
  void loginPrompt_masksTheKey_andKeepsItOffTheScreenAndOutOfHistory() throws IOException {
    try (Tmux t = shell(Map.of())) {
      t.type("login openai");
      t.press("Enter");
      t.waitFor("the API key prompt", s -> Tmux.lastLine(s).startsWith("API key for OpenAI"));
      t.type(OPENAI_KEY);
      t.waitFor("the mask", s -> Tmux.lastLine(s).endsWith("*".repeat(OPENAI_KEY.length())));
      t.press("Enter");
      String screen = t.waitForPrompt();
      assertThat(screen).contains("Successfully logged in to openai");
      screen = t.run("get openai --field status");
      assertThat(screen).contains("\nconnected").doesNotContain(OPENAI_KEY);
      // a key pasted on a command line by mistake is not kept in the history either
      t.run("inspect " + OPENAI_KEY);
      t.run("whoami");
      t.type("exit");
      t.press("Enter");
      t.waitForText("[authsome exited 0]");
    }
    Path history = home.resolve("history");
    assertThat(Files.readString(history)).contains("get openai --field status").contains("whoami")
        .doesNotContain(OPENAI_KEY).doesNotContain("inspect");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
  }

  /**
   * One shell runs many command lines on the same command objects: an option given to one (--show-secret, --format,
   * --lines, --connected) must not carry over to the next, which gets the defaults again.
   */
  @Test
  void optionsOfOneCommandLine_doNotCarryOverToTheNext() {
    try (Tmux t = shell(Map.of())) {
      loginAcme(t, "acme_carryover1");
      assertThat(after(t.run("get acme-shell --field api_key --show-secret"), "--show-secret"))
          .contains("acme_carryover1");
      assertThat(after(t.run("get acme-shell --field api_key"), "get acme-shell --field api_key\n"))
          .contains("REDACTED").doesNotContain("acme_carryover1");
      assertThat(after(t.run("export acme-shell --format shell"), "--format shell")).contains("export ACME_SHELL");
      assertThat(after(t.run("export acme-shell"), "export acme-shell\n")).contains("ACME_SHELL")
          .doesNotContain("export ACME_SHELL");
      assertThat(after(t.run("list --connected"), "list --connected")).doesNotContain("openai");
      assertThat(after(t.run("list"), "authsome> list\n")).contains("openai");
      // a missing required argument is still a usage error after a run that had it
      assertThat(after(t.run("get"), "authsome> get\n")).contains("Missing required parameter: 'PROVIDER'")
          .contains("(exit 2)");
    }
  }

  /** What the screen shows after the last occurrence of {@code marker} (lines without their trailing blanks). */
  private static String after(String screen, String marker) {
    screen = screen.lines().map(String::stripTrailing).collect(java.util.stream.Collectors.joining("\n"));
    int at = screen.lastIndexOf(marker);
    assertThat(at).as("'%s' on the screen:%n%s", marker, screen).isNotNegative();
    return screen.substring(at + marker.length());
  }

  @Test
  void ctrlC_atASecretPrompt_cancelsTheLogin_andTheShellGoesOn() {
    try (Tmux t = shell(Map.of())) {
      t.type("login acme-shell");
      t.press("Enter");
      t.waitFor("the API key prompt", s -> Tmux.lastLine(s).startsWith("API key for Acme Shell"));
      t.type("acme_partial");
      t.press("C-c");
      String screen = t.waitForPrompt();
      assertThat(screen).contains("cancelled").contains("(exit 8)").doesNotContain("acme_partial");
      screen = t.run("get acme-shell --field status");
      assertThat(screen).contains("Error:").doesNotContain("[authsome exited");
    }
  }

  @Test
  void ctrlC_duringADeviceLoginWait_returnsToThePrompt() throws Exception {
    Process server = startOidcServer();
    try {
      String issuer = issuerOf(server);
      Files.writeString(home.resolve("providers/devshell.yaml"), """
          schema_version: 1
          name: devshell
          display_name: Device Shell
          auth_type: oauth2
          flow: device_code
          oauth:
            device_authorization_url: %1$s/device/auth
            token_url: %1$s/token
            scopes: [openid]
            supports_device_flow: true
          api_url: [api.devshell.example]
          """.formatted(issuer));
      try (Tmux t = shell(Map.of())) {
        t.type("login devshell --client-id public-cli --no-browser");
        t.press("Enter");
        // a public client has no secret (the masked prompt takes an empty answer) and the scopes keep their default
        String screen = t.waitFor("the client secret prompt", s -> Tmux.lastLine(s).startsWith("Client secret"));
        for (int prompts = 0; prompts < 5 && !screen.contains("Waiting for approval"); prompts++) {
          String before = screen;
          t.press("Enter");
          screen = t.waitFor("the next prompt or the device wait", s -> s.contains("Waiting for approval")
              || !s.strip().equals(before.strip()) && Tmux.lastLine(s).endsWith(":"));
        }
        t.waitForText("Waiting for approval");
        t.press("C-c");
        screen = t.waitForPrompt();
        assertThat(screen).contains("cancelled").contains("(exit 8)");
        // the shell survived and still runs commands
        screen = t.run("get devshell --field status");
        assertThat(screen).doesNotContain("[authsome exited");
        t.press("C-d");
        assertThat(t.waitForText("[authsome exited")).contains("[authsome exited 0]");
      }
    } finally {
      server.destroy();
    }
  }

  @Test
  void history_persistsAcrossSessions_andCtrlRFindsIt() {
    try (Tmux t = shell(Map.of())) {
      t.run("whoami");
      t.run("list --quiet");
      t.press("C-d");
      t.waitForText("[authsome exited 0]");
    }
    try (Tmux t = shell(Map.of())) {
      t.press("Up");
      t.waitFor("the last line of the previous session", s -> Tmux.lastLine(s).equals("authsome> list --quiet"));
      t.press("C-u");
      t.press("C-r");
      t.type("whoa");
      t.waitFor("Ctrl-R finding whoami", s -> s.contains("whoami"));
      t.press("Enter");
      String screen = t.waitForPrompt();
      assertThat(screen).contains(home.toString());
    }
  }

  @Test
  void list_isColouredOnTheTerminal_unlessNoColorOrNoColorOption() {
    String key = "acme_abcdefgh12";
    try (Tmux t = shell(Map.of())) {
      loginAcme(t, key);
      t.run("list");
      assertThat(t.screenWithEscapes()).contains("\u001b[32mconnected");
      t.run("list --no-color");
      String last = t.screenWithEscapes();
      String afterNoColor = last.substring(last.lastIndexOf("list --no-color"));
      assertThat(afterNoColor).contains("connected").doesNotContain("\u001b[32m");
    }
    try (Tmux t = shell(Map.of("NO_COLOR", "1"))) {
      t.run("list");
      String screen = t.screenWithEscapes();
      assertThat(screen).contains("connected").doesNotContain("\u001b[32m").doesNotContain("\u001b[1m");
    }
  }

  @Test
  void noArguments_onANonTerminal_printsUsageAndExits2() {
    Cli.Result r = new Cli(home).run();
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("Usage: authsome").contains("Missing command");
  }

  @Test
  void completionScript_forBash_completesProviderAndConnectionNames() throws Exception {
    Cli cli = new Cli(home);
    Cli.Result script = cli.run("completion", "bash");
    assertThat(script.exit()).as(script.toString()).isZero();
    Path file = home.resolve("authsome-completion.bash");
    Files.writeString(file, script.out());
    assertThat(complete(file, "authsome", "login", "acme-s")).containsExactly("acme-shell");
    assertThat(complete(file, "authsome", "log")).contains("login", "logout", "log");
    assertThat(complete(file, "authsome", "get", "acme-shell", "--f")).contains("--field");
    Cli.Result zsh = cli.run("completion", "zsh");
    assertThat(zsh.out()).contains("#compdef authsome").contains("__complete");
  }

  /** Runs the bash completion function in a real bash, as a Tab after {@code words} would. */
  private List<String> complete(Path script, String... words) throws Exception {
    String bin = Cli.LAUNCHER.getParent().toString();
    String array = String.join(" ", java.util.Arrays.stream(words).map(w -> "'" + w + "'").toList());
    String program = "source " + script + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
        + "; _authsome_complete; printf '%s\\n' \"${COMPREPLY[@]}\"";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("AUTHSOME_HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static void loginAcme(Tmux t, String key) {
    t.type("login acme-shell");
    t.press("Enter");
    t.waitFor("the API key prompt", s -> Tmux.lastLine(s).startsWith("API key for Acme Shell"));
    t.type(key);
    t.press("Enter");
    t.waitForPrompt();
  }

  private static Process startOidcServer() throws IOException {
    Path repo = Path.of(System.getProperty("authsome.repo", "..")).toAbsolutePath().normalize();
    Path dir = repo.resolve("testing/oidc-server");
    if (!Files.isDirectory(dir.resolve("node_modules/oidc-provider"))) {
      String reason = "oidc-provider is not installed: run 'npm ci' in " + dir;
      if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
        org.assertj.core.api.Assertions.fail(reason);
      }
      System.out.println("SKIPPED: " + reason);
      org.junit.jupiter.api.Assumptions.abort(reason);
    }
    List<String> command = new ArrayList<>(List.of("node", dir.resolve("server.js").toString(), "--port", "0"));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String issuerOf(Process server) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("oidc-provider's first line").startsWith("listening ");
    return line.substring("listening ".length()).trim();
  }
}
