package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret-leak scan: every command of the built {@code bin/authsome} runs with canary secrets (an API key, and
 * access and refresh tokens issued by the real oidc-provider), and every place a secret could escape to is searched
 * for each canary in plain, hex, base64 (all three alignments, standard and URL alphabets) and URL-encoded form:
 * every process's arguments ({@code /proc/*}{@code /cmdline}, sampled while the commands run), the environment of
 * the child under {@code run}, every file under the home (logs, audit log, history, the vault file itself), the
 * temporary folder the JVMs use, and the stdout and stderr of every command except those whose purpose is to print
 * a secret ({@code export}, {@code get --show-secret}). Revocation warnings are included: logout while the
 * revocation endpoint is unreachable, and while the provider refuses it and echoes the token back (in an OAuth
 * error's description, in a plain error body, and as the error code itself). The expected count of hits is zero.
 */
class SecretLeakEndToEndTest {
  private static final String API_KEY = "sk-canaryLEAK" + HexFormat.of().formatHex(new byte[] {1, 35, 69, 103, -119,
      -85, -51, -17}) + "Zz";
  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;

  @BeforeAll
  static void startServer() {
    OAuthLoginEndToEndTest.assumeOAuthComplete();
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Everything a command printed, with whether printing a secret is its purpose. */
  record Output(String command, Result result, boolean printsSecrets) {
  }

  @Test
  void everyCommand_withCanarySecrets_leavesNoTraceOfThemAnywhere() throws Exception {
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Cli cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(freePort()));
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
    cli.env.put("AUTHSOME_JAVA_OPTS", "-Djava.io.tmpdir=" + jvmTmp);
    cli.env.put("TMPDIR", jvmTmp.toString());
    OAuthLoginEndToEndTest.writeProvider(home, "testidp", "pkce", server.issuer());

    List<Output> outputs = new ArrayList<>();
    Set<String> cmdlines = ConcurrentHashMap.newKeySet();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        sampleCmdlines(cmdlines);
        try {
          Thread.sleep(50); // a command lives for hundreds of milliseconds at least: several samples each
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "cmdline-sampler");
    sampler.setDaemon(true);
    sampler.start();
    JsonNode testidpTokens;
    JsonNode goneTokens;
    Map<String, JsonNode> refusedTokens = new LinkedHashMap<>();
    try {
      // ---- logins: an API key by stdin, OAuth through the real server, one more on a server that will go away
      outputs.add(run(cli, API_KEY + "\n", false, "login", "openai", "--stdin"));
      outputs.add(run(cli, null, false, "login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT));
      try (OidcServer gone = OidcServer.start()) {
        OAuthLoginEndToEndTest.writeProvider(home, "goneidp", "pkce", gone.issuer());
        outputs.add(run(cli, null, false, "login", "goneidp", "--client-id", OidcServer.PUBLIC_CLIENT));
        goneTokens = run(cli, null, true, "export", "goneidp", "--format", "json").result().json();
      }
      // tokens from the real server, for providers whose revocation endpoint will refuse and echo them
      for (String name : EchoingRevocation.MODES) {
        OAuthLoginEndToEndTest.writeProvider(home, name, "pkce", server.issuer());
        outputs.add(run(cli, null, false, "login", name, "--client-id", OidcServer.PUBLIC_CLIENT));
        refusedTokens.put(name, run(cli, null, true, "export", name, "--format", "json").result().json());
      }
      // the test wrote the provider files: give them the modes authsome's own files have, so doctor passes
      Files.setPosixFilePermissions(home.resolve("providers"), PosixFilePermissions.fromString("rwx------"));
      try (Stream<Path> defs = Files.list(home.resolve("providers"))) {
        for (Path d : defs.toList()) {
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rw-------"));
        }
      }
      // ---- every read command, in its plain and JSON forms
      for (String[] args : List.of(new String[] {"list"}, new String[] {"list", "--json"},
          new String[] {"get", "openai"}, new String[] {"get", "openai", "--json"}, new String[] {"get", "testidp"},
          new String[] {"get", "testidp", "--json"}, new String[] {"get", "testidp", "--field", "status"},
          new String[] {"get", "testidp", "--field", "access_token"}, new String[] {"inspect", "testidp"},
          new String[] {"inspect", "openai", "--json"}, new String[] {"whoami"}, new String[] {"whoami", "--json"},
          new String[] {"doctor"}, new String[] {"doctor", "--json"}, new String[] {"connection", "list"},
          new String[] {"log"}, new String[] {"log", "--json"}, new String[] {"--verbose", "get", "nosuch"},
          new String[] {"--verbose", "export", "nosuch"}, new String[] {"--help"}, new String[] {"vault", "status"})) {
        outputs.add(run(cli, null, false, args));
      }
      // ---- the commands whose purpose is to print a secret (their stdout is not searched; stderr is)
      testidpTokens = run(cli, null, true, "export", "testidp", "--format", "json").result().json();
      outputs.add(run(cli, null, true, "export", "openai", "--format", "shell"));
      outputs.add(run(cli, null, true, "export", "testidp", "--format", "env"));
      outputs.add(run(cli, null, true, "get", "testidp", "--show-secret"));
      outputs.add(run(cli, null, true, "get", "openai", "--show-secret", "--json"));
      // ---- run: the child's environment holds placeholders and the per-run proxy credential only
      Output env = run(cli, null, false, "run", "--", "env");
      outputs.add(env);
      assertThat(env.result().exit()).as(env.result().toString()).isZero();
      assertChildEnvironment(env.result().out());
      outputs.add(run(cli, null, false, "run", "--", "sh", "-c", "ls -a \"$AUTHSOME_HOME\" >/dev/null; exit 3"));
      assertThat(home.resolve("run")).as("run leaves no per-run folder behind")
          .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
      // ---- logouts: revocation refused by the provider (echoing the token back), unreachable, and performed
      try (EchoingRevocation refusing = EchoingRevocation.start()) {
        for (String name : EchoingRevocation.MODES) {
          Path definition = home.resolve("providers/" + name + ".yaml");
          Files.writeString(definition, Files.readString(definition).replace(server.issuer() + "/token/revocation",
              refusing.url(name)));
          outputs.add(run(cli, null, false, "logout", name));
        }
        assertThat(refusing.received()).as("the refusing endpoint got each connection's real token")
            .containsExactlyInAnyOrderElementsOf(refusedTokens.entrySet().stream().map(e -> e.getKey() + " "
                + e.getValue().get(e.getKey().toUpperCase(Locale.ROOT) + "_REFRESH_TOKEN").asText()).toList());
      }
      outputs.add(run(cli, null, false, "logout", "goneidp"));
      outputs.add(run(cli, null, false, "logout", "goneidp", "--json"));
      outputs.add(run(cli, null, false, "revoke", "testidp"));
      outputs.add(run(cli, null, false, "logout", "testidp", "--json"));
      outputs.add(run(cli, null, false, "logout", "openai"));
      outputs.add(run(cli, null, false, "remove", "goneidp"));
      outputs.add(run(cli, null, false, "log", "--json"));
    } finally {
      sampling.set(false);
      sampler.join(10_000);
    }

    // the warning paths really ran: a revocation that could not reach the provider says so
    String logoutGone = outputs.stream().filter(o -> o.command().equals("logout goneidp")).findFirst().orElseThrow()
        .result().err();
    assertThat(logoutGone).containsIgnoringCase("not revoked");
    // ... and one the provider refused names the refusal, quoting a well-formed OAuth error code only
    for (String name : EchoingRevocation.MODES) {
      Result logout = outputs.stream().filter(o -> o.command().equals("logout " + name)).findFirst().orElseThrow()
          .result();
      assertThat(logout.exit()).as(logout.toString()).isZero();
      assertThat(logout.err()).as(logout.toString()).contains("refused").contains(switch (name) {
        case "refusingidp" -> "invalid_request";
        case "echoingidp" -> "HTTP 500";
        default -> "HTTP 400";
      });
    }

    Map<String, String> canaries = new LinkedHashMap<>();
    canaries.put("API key", API_KEY);
    canaries.put("testidp access token", testidpTokens.get("TESTIDP_ACCESS_TOKEN").asText());
    canaries.put("testidp refresh token", testidpTokens.get("TESTIDP_REFRESH_TOKEN").asText());
    canaries.put("goneidp access token", goneTokens.get("GONEIDP_ACCESS_TOKEN").asText());
    canaries.put("goneidp refresh token", goneTokens.get("GONEIDP_REFRESH_TOKEN").asText());
    refusedTokens.forEach((name, tokens) -> {
      String prefix = name.toUpperCase(Locale.ROOT);
      canaries.put(name + " access token", tokens.get(prefix + "_ACCESS_TOKEN").asText());
      canaries.put(name + " refresh token", tokens.get(prefix + "_REFRESH_TOKEN").asText());
    });
    canaries.values().forEach(v -> assertThat(v).hasSizeGreaterThan(16));
    Map<String, String> forms = forms(canaries);

    List<String> hits = new ArrayList<>();
    for (Output o : outputs) {
      if (!o.printsSecrets()) {
        scan(forms, "stdout of '" + o.command() + "'", o.result().out(), hits);
      }
      scan(forms, "stderr of '" + o.command() + "'", o.result().err(), hits);
    }
    for (String cmdline : cmdlines) {
      scan(forms, "a process's arguments: " + abbreviated(cmdline), cmdline, hits);
    }
    for (Path root : List.of(home, jvmTmp)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
          scan(forms, "file " + f, content, hits);
          // the per-run CA key lives in memory only; a persistent one only encrypted in the vault
          if (content.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.*")) {
            hits.add("an unencrypted private key in file " + f);
          }
        }
      }
    }
    try (Stream<Path> left = Files.list(jvmTmp)) {
      assertThat(left.map(Path::toString).filter(n -> !n.contains("hsperfdata")).toList())
          .as("temporary files left behind").isEmpty();
    }
    System.out.println("LEAKSCAN " + outputs.size() + " commands, " + cmdlines.size() + " distinct command lines, "
        + canaries.size() + " canaries in " + forms.size() + " forms: " + hits.size() + " hits");
    assertThat(hits).as("secret leaks").isEmpty();
    // nor anything else the refusing provider echoed, in whatever form: its description and body are not repeated
    assertThat(outputs).allSatisfy(o -> assertThat(o.result().out() + o.result().err()).as(o.command())
        .doesNotContain("echoed:"));
  }

  @Test
  void theInteractiveShell_keepsTheKeyOutOfItsHistory_evenWhenPastedAtThePrompt() throws Exception {
    Cli.assumeComplete();
    Tmux.assumeInstalled();
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    try (Tmux t = Tmux.start(Tmux.environment(home))) {
      t.waitForPrompt();
      t.type("login openai");
      t.press("Enter");
      t.waitFor("the API key prompt", s -> Tmux.lastLine(s).startsWith("API key for OpenAI"));
      t.type(API_KEY);
      t.press("Enter");
      assertThat(t.waitForPrompt()).contains("Successfully logged in to openai");
      t.run(API_KEY); // pasted at the prompt by mistake
      t.run("get openai");
      t.run("export openai --format json");
      t.type("exit");
      t.press("Enter");
      t.waitForText("[authsome exited 0]");
    }
    Map<String, String> forms = forms(Map.of("API key", API_KEY));
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        scan(forms, "file " + f, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), hits);
      }
    }
    assertThat(home.resolve("history")).exists();
    assertThat(hits).as("secret leaks").isEmpty();
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static Output run(Cli cli, String stdin, boolean printsSecrets, String... args) {
    Result r = cli.feed(stdin, args);
    String command = String.join(" ", args);
    if (!command.startsWith("--verbose") && !command.equals("vault status") && !command.equals("connection list")) {
      // 3: the child's own exit status, which run passes on
      assertThat(r.exit()).as(command + "\n" + r).isIn(0, 5, command.startsWith("run ") ? 3 : 0);
    }
    return new Output(command, r, printsSecrets);
  }

  /** The child's environment: no canary; secret variables hold the placeholder; the proxy URL holds a credential. */
  private static void assertChildEnvironment(String env) {
    Map<String, String> vars = new LinkedHashMap<>();
    env.lines().filter(l -> l.indexOf('=') > 0).forEach(l -> vars.put(l.substring(0, l.indexOf('=')),
        l.substring(l.indexOf('=') + 1)));
    assertThat(vars.get("OPENAI_API_KEY")).isEqualTo("authsome-proxy-managed");
    assertThat(vars.get("TESTIDP_ACCESS_TOKEN")).isEqualTo("authsome-proxy-managed");
    assertThat(vars.get("HTTPS_PROXY")).matches("http://authsome:[^@]+@127\\.0\\.0\\.1:\\d+");
    vars.forEach((k, v) -> {
      // a variable passed through unchanged from this test's own environment (GNOME_KEYRING_CONTROL, a CI's
      // tokens) is not authsome's doing; every secret-named variable authsome sets holds the placeholder
      if (v.equals(System.getenv(k))) {
        return;
      }
      boolean secretName = java.util.Arrays.stream(k.split("_")).anyMatch(w -> w.equals("TOKEN") || w.equals("KEY")
          || w.equals("SECRET") || w.equals("PASSWORD"));
      if (secretName) {
        assertThat(v).as(k).isIn("authsome-proxy-managed", "");
      }
    });
  }

  /** Each canary in the forms a leak could take. */
  static Map<String, String> forms(Map<String, String> canaries) {
    Map<String, String> forms = new LinkedHashMap<>();
    canaries.forEach((name, secret) -> {
      byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
      forms.put(name, secret);
      forms.put(name + " (hex)", HexFormat.of().formatHex(bytes));
      forms.put(name + " (HEX)", HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT));
      forms.put(name + " (url-encoded)", URLEncoder.encode(secret, StandardCharsets.UTF_8));
      // inside a longer base64 text (a Basic header, a JWT) the secret's encoding depends on where it starts: the
      // middle of each of the three alignments is fixed
      for (int shift = 0; shift < 3; shift++) {
        byte[] shifted = new byte[bytes.length + shift];
        System.arraycopy(bytes, 0, shifted, shift, bytes.length);
        for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
          String b64 = enc.withoutPadding().encodeToString(shifted);
          String stable = b64.substring(shift == 0 ? 0 : 4, b64.length() - 4);
          forms.put(name + " (base64, offset " + shift + (enc == Base64.getUrlEncoder() ? ", url" : "") + ")",
              stable);
        }
      }
    });
    return forms;
  }

  static void scan(Map<String, String> forms, String where, String text, List<String> hits) {
    forms.forEach((form, value) -> {
      if (text.contains(value)) {
        hits.add(form + " in " + where);
      }
    });
  }

  private static void sampleCmdlines(Set<String> into) {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          byte[] raw = Files.readAllBytes(p.resolve("cmdline"));
          if (raw.length > 0) {
            into.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
          }
        } catch (IOException | SecurityException e) {
          // the process ended, or belongs to someone else
        }
      }
    } catch (IOException e) {
      // no /proc here: nothing to sample
    }
  }

  private static String abbreviated(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /**
   * A provider's revocation endpoint that refuses every request and echoes the token it was sent back to the client,
   * as a provider with careless error messages would. Only this peer is played by the test: the tokens come from the
   * real oidc-provider, which cannot be made to echo one.
   */
  static final class EchoingRevocation implements AutoCloseable {
    /**
     * One provider per kind of echo: an OAuth error whose description quotes the token (plain, URL-encoded and in
     * base64), an HTTP 500 with a plain-text body quoting it, and an OAuth error whose code is the token.
     */
    static final List<String> MODES = List.of("refusingidp", "echoingidp", "codeidp");
    private final HttpServer http;
    private final List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

    private EchoingRevocation(HttpServer http) {
      this.http = http;
    }

    static EchoingRevocation start() throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      EchoingRevocation server = new EchoingRevocation(http);
      http.createContext("/", exchange -> {
        String mode = exchange.getRequestURI().getPath().substring(1);
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String token = Arrays.stream(form.split("&")).filter(p -> p.startsWith("token="))
            .map(p -> URLDecoder.decode(p.substring("token=".length()), StandardCharsets.UTF_8)).findFirst()
            .orElse("");
        server.received.add(mode + " " + token);
        String echoes = "echoed: " + token + " / " + URLEncoder.encode(token, StandardCharsets.UTF_8) + " / "
            + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        int status;
        String type;
        String body;
        switch (mode) {
          case "refusingidp" -> {
            status = 400;
            type = "application/json";
            body = "{\"error\":\"invalid_request\",\"error_description\":\"" + echoes + "\"}";
          }
          case "echoingidp" -> {
            status = 500;
            type = "text/plain";
            body = "internal error revoking " + echoes;
          }
          default -> {
            status = 400;
            type = "application/json";
            body = "{\"error\":\"" + token + "\",\"error_description\":\"" + echoes + "\"}";
          }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
      http.start();
      return server;
    }

    String url(String mode) {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + mode;
    }

    List<String> received() {
      return List.copyOf(received);
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  static Set<String> keys(Map<String, String> m) {
    return new LinkedHashSet<>(m.keySet());
  }
}
