package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth logins end to end: the built {@code bin/authsome} against a real, independently written authorization
 * server (npm oidc-provider, a child process), with the headless approver plugged in through {@code $BROWSER}. Every
 * test listens on its own callback port ({@code AUTHSOME_CALLBACK_PORT}), so none fights over 7998.
 */
class OAuthLoginEndToEndTest {
  static final Pattern DEVICE_URI = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/device\\?user_code=\\S+)");
  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;
  Cli cli;
  int port;

  @BeforeAll
  static void startServer() {
    assumeOAuthComplete();
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Skips unless the distribution has what these tests drive: the launcher, the file vault, the plugin host and the
   * OAuth flow plugins (with {@code AUTHSOME_TEST_REQUIRE_ALL=1} a missing part fails).
   */
  static void assumeOAuthComplete() {
    if (!Files.isExecutable(Cli.LAUNCHER)) {
      OidcServer.missing("no launcher at " + Cli.LAUNCHER);
    }
    List<String[]> parts = List.of(new String[] {"lib", "vault-file"}, new String[] {"lib", "plugin-host"},
        new String[] {"plugins", "flow-pkce"}, new String[] {"plugins", "flow-device-code"},
        new String[] {"plugins", "flow-dcr-pkce"}, new String[] {"plugins", "flow-client-credentials"});
    for (String[] part : parts) {
      try (var files = Files.list(Cli.DIST.resolve(part[0]))) {
        if (files.noneMatch(f -> f.getFileName().toString().contains(part[1]))) {
          OidcServer.missing("the distribution at " + Cli.DIST + " lacks " + part[1] + " in " + part[0] + "/");
        }
      } catch (IOException e) {
        OidcServer.missing("cannot list " + Cli.DIST.resolve(part[0]));
      }
    }
    // The shell reaches the plugin host only once it is wired in: doctor says so otherwise.
    try {
      Process p = new ProcessBuilder(Cli.LAUNCHER.toString(), "doctor").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      p.waitFor(120, TimeUnit.SECONDS);
      if (out.contains("plugin host is not part of this build")) {
        OidcServer.missing("the shell does not use the plugin host yet");
      }
    } catch (IOException | InterruptedException e) {
      OidcServer.missing("cannot run " + Cli.LAUNCHER + " doctor: " + e);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    server.accessTokenTtl(3600);
    cli = new Cli(home);
    port = freePort();
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(port));
    // No real browser and no display, whatever the machine running the tests has.
    cli.env.put("BROWSER", "");
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
    writeProvider(home, "testidp", "pkce", server.issuer());
  }

  /** A custom provider definition for the test server: every endpoint spelled out, plus the issuer. */
  static void writeProvider(Path home, String name, String flow, String issuer) throws IOException {
    Path dir = Files.createDirectories(home.resolve("providers"));
    String yaml = "schema_version: 1\n"
        + "name: " + name + "\n"
        + "display_name: Test IdP\n"
        + "docs_url: https://example.test/docs\n"
        + "auth_type: oauth2\n"
        + "flow: " + flow + "\n"
        + "oauth:\n"
        + (flow.equals("dcr_pkce") ? "" : "  authorization_url: " + issuer + "/auth\n"
            + "  token_url: " + issuer + "/token\n"
            + "  revocation_url: " + issuer + "/token/revocation\n"
            + "  device_authorization_url: " + issuer + "/device/auth\n"
            + "  supports_device_flow: true\n")
        + "  issuer: " + issuer + "\n"
        + "  scopes: [openid, email, offline_access]\n";
    Files.writeString(dir.resolve(name + ".yaml"), yaml);
  }

  private String approver(String... args) {
    return OidcServer.approver(tmp.resolve("approver.log"), args);
  }

  private String approverLog() throws IOException {
    Path log = tmp.resolve("approver.log");
    return Files.exists(log) ? Files.readString(log) : "(no approver log)";
  }

  /** The tokens as {@code export --format json} hands them out. */
  private JsonNode tokens() {
    Result export = cli.run("export", "testidp", "--format", "json");
    assertThat(export.exit()).as(export.toString()).isZero();
    return export.json();
  }

  @Test
  void pkceLogin_withTheApproverAsBrowser_onTheModulePath_connectsAndFillsTheAccount() throws IOException {
    cli.env.put("BROWSER", approver("--login alice"));
    cli.env.put("AUTHSOME_LAUNCH", "module");

    long started = System.nanoTime();
    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("MEASURE pkce login end to end: " + millis + " ms");

    assertThat(login.exit()).as(login + approverLog()).isZero();
    assertThat(login.out()).contains("Successfully logged in to testidp (default).");
    assertThat(login.err()).contains("code_challenge_method=S256");
    Result get = cli.run("get", "testidp", "--json");
    assertThat(get.exit()).as(get.toString()).isZero();
    JsonNode record = get.json();
    assertThat(record.get("status").asText()).isEqualTo("connected");
    assertThat(record.get("access_token").asText()).isEqualTo("***REDACTED***");
    assertThat(record.toString()).contains("alice");
    JsonNode tokens = tokens();
    assertThat(server.active(tokens.get("TESTIDP_ACCESS_TOKEN").asText())).isTrue();
  }

  @Test
  void deviceLogin_approvedByASecondProcess_connects() throws Exception {
    long started = System.nanoTime();
    Process login = start("login", "testidp", "--flow", "device_code", "--client-id", OidcServer.PUBLIC_CLIENT,
        "--no-browser");
    StringBuffer err = drainLines(login);
    String uri = awaitMatch(err, DEVICE_URI, login);
    String approval = OidcServer.approve(uri, tmp.resolve("device-approver.log"), "--login bob");
    assertThat(login.waitFor(120, TimeUnit.SECONDS)).isTrue();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("MEASURE device login end to end (incl. approval by a second process): " + millis + " ms");

    assertThat(login.exitValue()).as(err + approval).isZero();
    assertThat(err.toString()).contains("enter the code: ").contains("Waiting for approval");
    assertThat(cli.run("get", "testidp", "--json").json().toString()).contains("bob");
  }

  @Test
  void dcrLogin_registersOnce_thenReusesTheClient() throws IOException {
    writeProvider(home, "mcpidp", "dcr_pkce", server.issuer());
    cli.env.put("BROWSER", approver("--login carol"));
    int before = server.registrations();

    Result first = cli.run("login", "mcpidp");
    Result second = cli.run("login", "mcpidp", "--force");

    assertThat(first.exit()).as(first + approverLog()).isZero();
    assertThat(first.err()).contains("Registered authsome as an OAuth client");
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(server.registrations() - before).isEqualTo(1);
  }

  @Test
  void refresh_afterAShortTokenLifetime_rotatesTheRefreshToken() throws Exception {
    server.accessTokenTtl(6);
    cli.env.put("BROWSER", approver());
    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
    assertThat(login.exit()).as(login + approverLog()).isZero();
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    JsonNode before = tokens();
    cli.env.remove("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS");
    server.accessTokenTtl(3600);
    waitUntilExpired();
    server.resetCounters();

    JsonNode after = tokens();

    assertThat(server.tokenRequests("refresh_token")).isEqualTo(1);
    assertThat(after.get("TESTIDP_ACCESS_TOKEN").asText()).isNotEqualTo(before.get("TESTIDP_ACCESS_TOKEN").asText());
    assertThat(after.get("TESTIDP_REFRESH_TOKEN").asText())
        .isNotEqualTo(before.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(server.active(after.get("TESTIDP_ACCESS_TOKEN").asText())).isTrue();
    assertThat(server.active(before.get("TESTIDP_REFRESH_TOKEN").asText())).as("rotated away").isFalse();
    assertThat(cli.run("get", "testidp", "--field", "status").out().strip()).isEqualTo("connected");
  }

  @Test
  void refreshStorm_tenProcessesNeedingTheExpiredToken_causeExactlyOneRefresh() throws Exception {
    server.accessTokenTtl(6);
    cli.env.put("BROWSER", approver());
    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
    assertThat(login.exit()).as(login + approverLog()).isZero();
    server.accessTokenTtl(3600);
    waitUntilExpired();
    server.resetCounters();

    List<Cli.Running> storm = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      storm.add(cli.start(null, true, "export", "testidp", "--format", "json"));
    }
    List<String> accessTokens = new ArrayList<>();
    for (Cli.Running running : storm) {
      Result r = running.finish();
      assertThat(r.exit()).as(r.toString()).isZero();
      accessTokens.add(r.json().get("TESTIDP_ACCESS_TOKEN").asText());
    }

    int refreshes = server.tokenRequests("refresh_token");
    System.out.println("MEASURE refresh storm: 10 processes, token endpoint refresh requests seen: " + refreshes);
    assertThat(refreshes).isEqualTo(1);
    assertThat(accessTokens).as("every process got the one refreshed token").containsOnly(accessTokens.get(0));
    assertThat(server.active(accessTokens.get(0))).isTrue();
  }

  @Test
  void clientCredentials_withTheSecretOnStdin_renewsWithoutARefreshToken() throws Exception {
    server.accessTokenTtl(6);
    Result login = cli.feed(OidcServer.BASIC_SECRET + "\n", "login", "testidp", "--flow", "client_credentials",
        "--client-id", OidcServer.BASIC_CLIENT, "--stdin", "--scopes", "api:read");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out() + login.err()).doesNotContain(OidcServer.BASIC_SECRET);
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    String first = tokens().get("TESTIDP_ACCESS_TOKEN").asText();
    cli.env.remove("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS");
    server.accessTokenTtl(3600);
    waitUntilExpired();
    server.resetCounters();

    String renewed = tokens().get("TESTIDP_ACCESS_TOKEN").asText();

    assertThat(renewed).isNotEqualTo(first);
    assertThat(server.tokenRequests("client_credentials")).isEqualTo(1);
    assertThat(server.active(renewed)).isTrue();
  }

  @Test
  void logout_revokesTheTokensAtTheServer_andDeletesLocally() throws IOException {
    cli.env.put("BROWSER", approver());
    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
    assertThat(login.exit()).as(login + approverLog()).isZero();
    JsonNode tokens = tokens();
    assertThat(server.active(tokens.get("TESTIDP_REFRESH_TOKEN").asText())).isTrue();

    Result logout = cli.run("logout", "testidp");

    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(server.active(tokens.get("TESTIDP_REFRESH_TOKEN").asText())).isFalse();
    assertThat(server.active(tokens.get("TESTIDP_ACCESS_TOKEN").asText())).isFalse();
    assertThat(cli.run("get", "testidp").exit()).isEqualTo(5);
  }

  @Test
  void accessDenied_exits4_andStoresNothing() throws IOException {
    cli.env.put("BROWSER", approver("--deny"));

    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);

    assertThat(login.exit()).as(login + approverLog()).isEqualTo(4);
    assertThat(login.err()).contains("access_denied");
    assertThat(cli.run("get", "testidp").exit()).isEqualTo(5);
  }

  @Test
  void forgedState_isRejected_andNeverProducesAConnection() throws IOException {
    cli.env.put("BROWSER", approver("--forge-state"));

    Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--timeout", "10");

    assertThat(login.exit()).as(login + approverLog()).isEqualTo(8);
    assertThat(login.err()).contains("state does not match");
    assertThat(approverLog()).contains("callback 400");
    assertThat(cli.run("get", "testidp").exit()).isEqualTo(5);
  }

  @Test
  void takenCallbackPort_exits9_namingThePortAndTheVariable() throws IOException {
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--no-browser");

      assertThat(login.exit()).as(login.toString()).isEqualTo(9);
      assertThat(login.err()).contains(Integer.toString(port)).contains("AUTHSOME_CALLBACK_PORT");
    }
  }

  @Test
  void ctrlC_whileWaitingForTheBrowser_exits8() throws Exception {
    Process login = start("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--no-browser");
    StringBuffer err = drainLines(login);
    awaitMatch(err, Pattern.compile("Waiting for the authorization"), login);

    new ProcessBuilder("kill", "-INT", Long.toString(login.pid())).start().waitFor(10, TimeUnit.SECONDS);

    assertThat(login.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(login.exitValue()).as(err.toString()).isEqualTo(8);
    assertThat(err.toString()).contains("cancelled");
  }

  // ------------------------------------------------------------------------------------------------------------

  private void waitUntilExpired() throws Exception {
    for (int i = 0; i < 120; i++) {
      Result status = cli.run("get", "testidp", "--field", "status");
      if (status.out().strip().equals("expired")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the short-lived token never expired");
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Cli.LAUNCHER.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AUTHSOME_"));
    pb.environment().putAll(cli.env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // the Ctrl-C test signals this process: a background or nohup test run would hand it an ignored SIGINT
    Process p = ProxyFixture.withDefaultSignals(pb).start();
    p.getOutputStream().close();
    return p;
  }

  static StringBuffer drainLines(Process p) {
    StringBuffer buffer = new StringBuffer();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
          StandardCharsets.UTF_8))) {
        int c;
        while ((c = r.read()) != -1) {
          buffer.append((char) c);
        }
      } catch (IOException e) {
        // process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return buffer;
  }

  static String awaitMatch(StringBuffer text, Pattern pattern, Process p) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      Matcher m = pattern.matcher(text);
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + pattern + " in: " + text);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
