package dev.authsome.dist;

import static dev.authsome.dist.OAuthLoginEndToEndTest.awaitMatch;
import static dev.authsome.dist.OAuthLoginEndToEndTest.drainLines;
import static dev.authsome.dist.OAuthLoginEndToEndTest.freePort;
import static dev.authsome.dist.OAuthLoginEndToEndTest.writeProvider;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code login --force} and the writers of one connection, end to end against the real authorization server
 * (npm oidc-provider): a new login that does not succeed leaves the old connection stored and working at the server,
 * and a refresh in flight in one process neither brings back a connection another process logged out of nor writes
 * over a login another process just made. The server holds refresh responses ({@code refresh_delay_ms}) so that the
 * second process acts while the first one's refresh is in flight; the test waits for the server to report the request
 * in flight, never for a time.
 */
class ForceLoginAndWriteRacesEndToEndTest {
  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;
  Cli cli;

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

  @BeforeEach
  void setUp() throws IOException {
    server.accessTokenTtl(3600);
    server.refreshDelay(0);
    server.refreshError("");
    cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(freePort()));
    cli.env.put("BROWSER", "");
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
    writeProvider(home, "testidp", "pkce", server.issuer());
  }

  @AfterEach
  void resetServer() {
    server.refreshDelay(0);
    server.refreshError("");
    server.accessTokenTtl(3600);
  }

  // ---------------------------------------------------------------------------------------- login --force

  @Test
  void forceLogin_denied_exits4_andTheOldConnectionStaysStoredAndWorking() throws IOException {
    JsonNode old = loginAs("alice");
    cli.env.put("BROWSER", approver("--deny"));

    Result again = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--force");

    assertThat(again.exit()).as(again + approverLog()).isEqualTo(4);
    assertOldConnectionIntact(old);
  }

  @Test
  void forceLogin_cancelledWithCtrlC_exits8_andTheOldConnectionStaysStoredAndWorking() throws Exception {
    JsonNode old = loginAs("alice");
    Process login = start("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--no-browser", "--force");
    StringBuffer err = drainLines(login);
    awaitMatch(err, Pattern.compile("Waiting for the authorization"), login);

    new ProcessBuilder("kill", "-INT", Long.toString(login.pid())).start().waitFor(10, TimeUnit.SECONDS);

    assertThat(login.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(login.exitValue()).as(err.toString()).isEqualTo(8);
    assertOldConnectionIntact(old);
  }

  @Test
  void forceLogin_timedOut_exits8_andTheOldConnectionStaysStoredAndWorking() throws IOException {
    JsonNode old = loginAs("alice");

    Result again = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--no-browser", "--force",
        "--timeout", "2");

    assertThat(again.exit()).as(again.toString()).isEqualTo(8);
    assertThat(again.err()).contains("no authorization response arrived within 2 s");
    assertOldConnectionIntact(old);
  }

  @Test
  void forceLogin_succeeding_storesTheNewTokens_thenRevokesTheOldOnes() throws IOException {
    JsonNode old = loginAs("alice");

    JsonNode now = loginAs("bob", "--force");

    assertThat(now.get("TESTIDP_REFRESH_TOKEN").asText()).isNotEqualTo(old.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(server.active(now.get("TESTIDP_REFRESH_TOKEN").asText())).as("the new grant").isTrue();
    assertThat(server.active(now.get("TESTIDP_ACCESS_TOKEN").asText())).isTrue();
    assertThat(server.active(old.get("TESTIDP_REFRESH_TOKEN").asText())).as("revoked after the new login").isFalse();
    assertThat(cli.run("get", "testidp", "--json").json().toString()).contains("bob");
  }

  // ---------------------------------------------------------------------------------------- write races

  @Test
  void logout_duringARefreshInFlightInAnotherProcess_doesNotBringTheConnectionBack() throws Exception {
    server.accessTokenTtl(6);
    loginAs("alice");
    server.accessTokenTtl(3600);
    waitUntilExpired();
    server.refreshDelay(10_000);
    Cli.Running refresh = cli.start(null, true, "export", "testidp", "--format", "json");
    awaitRefreshInFlight(refresh);
    server.refreshDelay(0);

    Result logout = cli.run("logout", "testidp");
    Result refreshed = refresh.finish();

    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(refreshed.exit()).as("the refresh itself succeeded: " + refreshed).isZero();
    Result get = cli.run("get", "testidp");
    assertThat(get.exit()).as("logged out stays logged out: " + get).isEqualTo(5);
    // the logout waited for the refresh and revoked what it wrote, so no live token is left behind either
    JsonNode tokens = refreshed.json();
    assertThat(server.active(tokens.get("TESTIDP_REFRESH_TOKEN").asText())).isFalse();
  }

  @Test
  void failingRefresh_duringAForceLoginInAnotherProcess_doesNotOverwriteTheNewLogin() throws Exception {
    server.accessTokenTtl(6);
    loginAs("alice");
    server.accessTokenTtl(3600);
    waitUntilExpired();
    server.refreshDelay(10_000);
    server.refreshError("invalid_grant");
    Cli.Running refresh = cli.start(null, true, "export", "testidp", "--format", "json");
    awaitRefreshInFlight(refresh);
    server.refreshDelay(0);
    server.refreshError("");

    JsonNode now = loginAs("bob", "--force");
    Result failed = refresh.finish();

    assertThat(failed.exit()).as(failed.toString()).isNotZero();
    assertThat(cli.run("get", "testidp", "--field", "status").out().strip()).isEqualTo("connected");
    assertThat(cli.run("get", "testidp", "--json").json().toString()).contains("bob");
    JsonNode stored = tokens();
    assertThat(stored.get("TESTIDP_ACCESS_TOKEN").asText()).isEqualTo(now.get("TESTIDP_ACCESS_TOKEN").asText());
    assertThat(server.active(stored.get("TESTIDP_REFRESH_TOKEN").asText())).isTrue();
  }

  // ---------------------------------------------------------------------------------------- item 7

  @Test
  void refreshTokenRejected_invalidGrant_marksTheConnectionExpired_andSaysWhatToRun() throws IOException {
    JsonNode tokens = loginAs("alice");
    server.refreshError("invalid_grant");
    // a margin longer than the token's life: the refresh happens now, while the access token is still valid
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "86400");

    Result export = cli.run("export", "testidp", "--format", "json");

    cli.env.remove("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS");
    server.refreshError("");
    assertThat(export.exit()).as(export.toString()).isEqualTo(6);
    assertThat(export.err()).contains("invalid_grant").contains("authsome login testidp")
        .doesNotContain(tokens.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(cli.run("get", "testidp", "--field", "status").out().strip())
        .as("not 'connected': the grant is gone").isEqualTo("expired");
  }

  // ------------------------------------------------------------------------------------------------------------

  /** Logs in through the approver as {@code user}; returns the tokens stored. */
  private JsonNode loginAs(String user, String... more) throws IOException {
    cli.env.put("BROWSER", approver("--login " + user));
    List<String> args = new ArrayList<>(List.of("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT));
    args.addAll(List.of(more));
    Result login = cli.run(args.toArray(String[]::new));
    assertThat(login.exit()).as(login + approverLog()).isZero();
    cli.env.put("BROWSER", "");
    return tokensWithoutRefresh();
  }

  /** The old login's record is still stored, listed as connected, and its tokens are still accepted by the server. */
  private void assertOldConnectionIntact(JsonNode old) {
    assertThat(cli.run("get", "testidp", "--field", "status").out().strip()).isEqualTo("connected");
    JsonNode stored = tokens();
    assertThat(stored.get("TESTIDP_ACCESS_TOKEN").asText()).isEqualTo(old.get("TESTIDP_ACCESS_TOKEN").asText());
    assertThat(stored.get("TESTIDP_REFRESH_TOKEN").asText()).isEqualTo(old.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(server.active(old.get("TESTIDP_ACCESS_TOKEN").asText())).as("old access token").isTrue();
    assertThat(server.active(old.get("TESTIDP_REFRESH_TOKEN").asText())).as("old refresh token").isTrue();
  }

  private JsonNode tokens() {
    Result export = cli.run("export", "testidp", "--format", "json");
    assertThat(export.exit()).as(export.toString()).isZero();
    return export.json();
  }

  /** The tokens as stored, even when the access token is short-lived (no refresh on the way). */
  private JsonNode tokensWithoutRefresh() {
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    try {
      return tokens();
    } finally {
      cli.env.remove("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS");
    }
  }

  private void awaitRefreshInFlight(Cli.Running refresh) throws InterruptedException {
    for (int i = 0; i < 1200 && refresh.process().isAlive(); i++) {
      if (server.tokenRequestsInFlight() > 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the refresh never reached the server: " + refresh.finish());
  }

  private void waitUntilExpired() throws Exception {
    for (int i = 0; i < 120; i++) {
      if (cli.run("get", "testidp", "--field", "status").out().strip().equals("expired")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the short-lived token never expired");
  }

  private String approver(String... args) {
    return OidcServer.approver(tmp.resolve("approver.log"), args);
  }

  private String approverLog() throws IOException {
    Path log = tmp.resolve("approver.log");
    return Files.exists(log) ? Files.readString(log) : "(no approver log)";
  }

  private Process start(String... args) throws IOException {
    ProcessBuilder pb = cli.processBuilder(args);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // the Ctrl-C test signals this process: a background or nohup test run would hand it an ignored SIGINT
    Process p = ProxyFixture.withDefaultSignals(pb).start();
    p.getOutputStream().close();
    return p;
  }
}
