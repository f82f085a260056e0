package dev.authsome.dist;

import static dev.authsome.dist.OAuthLoginEndToEndTest.DEVICE_URI;
import static dev.authsome.dist.OAuthLoginEndToEndTest.awaitMatch;
import static dev.authsome.dist.OAuthLoginEndToEndTest.drainLines;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, end to end: the built {@code bin/authsome} against the real authorization server (npm oidc-provider).
 * Refresh and revocation belong to the grant, whatever flow obtained it; each connection refreshes and revokes with
 * the client its tokens were issued to; {@code --scopes} stays with its connection; a revocation the provider did not
 * perform is reported as such. The server counts requests per grant type and per client, and its introspection
 * endpoint says which tokens are still active and whose they are.
 */
class OAuthInteropEndToEndTest {
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
    cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
    cli.env.put("BROWSER", "");
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
    OAuthLoginEndToEndTest.writeProvider(home, "testidp", "pkce", server.issuer());
  }

  // ---- 1. a device-code connection refreshes --------------------------------------------------------------------

  @Test
  void deviceCodeConnection_whoseAccessTokenExpired_refreshesOnceWithRotation() throws Exception {
    server.accessTokenTtl(6);
    deviceLogin("testidp", "default", OidcServer.PUBLIC_CLIENT);
    server.accessTokenTtl(3600);
    JsonNode before = tokensAsIs("testidp", "default");
    waitUntilExpired("testidp", "default");
    server.resetCounters();

    Result get = cli.run("get", "testidp", "--field", "access_token", "--show-secret");

    assertThat(get.exit()).as(get.toString()).isZero();
    String refreshed = get.out().strip();
    assertThat(refreshed).isNotEqualTo(before.get("TESTIDP_ACCESS_TOKEN").asText());
    assertThat(server.tokenRequests("refresh_token")).isEqualTo(1);
    assertThat(server.requestsBy(OidcServer.PUBLIC_CLIENT, "refresh_token")).isEqualTo(1);
    assertThat(server.active(refreshed)).isTrue();
    JsonNode after = tokensAsIs("testidp", "default");
    assertThat(after.get("TESTIDP_REFRESH_TOKEN").asText()).as("rotated")
        .isNotEqualTo(before.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(server.active(before.get("TESTIDP_REFRESH_TOKEN").asText())).as("rotated away").isFalse();
    assertThat(server.active(after.get("TESTIDP_REFRESH_TOKEN").asText())).isTrue();
    assertThat(cli.run("get", "testidp", "--field", "status").out().strip()).isEqualTo("connected");
    assertThat(cli.run("get", "testidp", "--field", "flow").out().strip()).isEqualTo("device_code");
  }

  @Test
  void refreshStorm_tenProcessesOnAnExpiredDeviceCodeConnection_makeExactlyOneRefresh() throws Exception {
    server.accessTokenTtl(6);
    deviceLogin("testidp", "default", OidcServer.PUBLIC_CLIENT);
    server.accessTokenTtl(3600);
    waitUntilExpired("testidp", "default");
    server.resetCounters();

    List<Cli.Running> storm = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      storm.add(cli.start(null, true, "get", "testidp", "--field", "access_token", "--show-secret"));
    }
    List<String> accessTokens = new ArrayList<>();
    for (Cli.Running running : storm) {
      Result r = running.finish();
      assertThat(r.exit()).as(r.toString()).isZero();
      accessTokens.add(r.out().strip());
    }

    int refreshes = server.tokenRequests("refresh_token");
    System.out.println("MEASURE refresh storm on a device-code connection: 10 processes, refresh requests seen: "
        + refreshes);
    assertThat(refreshes).isEqualTo(1);
    assertThat(accessTokens).as("every process got the one refreshed token").containsOnly(accessTokens.get(0));
    assertThat(server.active(accessTokens.get(0))).isTrue();
  }

  // ---- 2. logout of a device-code connection revokes -----------------------------------------------------------

  @Test
  void logout_ofADeviceCodeConnection_revokesItsRefreshTokenAtTheServer() throws Exception {
    deviceLogin("testidp", "default", OidcServer.PUBLIC_CLIENT);
    JsonNode tokens = tokensAsIs("testidp", "default");
    String refreshToken = tokens.get("TESTIDP_REFRESH_TOKEN").asText();
    assertThat(server.active(refreshToken)).isTrue();
    server.resetCounters();

    Result logout = cli.run("logout", "testidp", "--json");

    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(server.active(refreshToken)).as("refresh token revoked").isFalse();
    assertThat(server.active(tokens.get("TESTIDP_ACCESS_TOKEN").asText())).isFalse();
    assertThat(server.requestsBy(OidcServer.PUBLIC_CLIENT, "revocation")).isPositive();
    assertThat(logout.json().get("status").asText()).isEqualTo("logged_out");
    assertThat(logout.json().get("revoked_at_provider").asBoolean()).isTrue();
    assertThat(logout.json().at("/revocation/outcome").asText()).isEqualTo("revoked");
    assertThat(logout.err()).doesNotContain("NOT revoked");
    assertThat(cli.run("get", "testidp").exit()).isEqualTo(5);
    assertThat(lastAudit("logout").get("revoked_at_provider").asBoolean()).isTrue();
  }

  // ---- 3. a client per connection ------------------------------------------------------------------------------

  @Test
  void twoConnectionsWithTwoClients_eachRefreshesAndRevokesWithItsOwnClient() throws Exception {
    server.accessTokenTtl(6);
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    Result first = cli.feed(OidcServer.BASIC_SECRET + "\n", "login", "testidp", "--client-id",
        OidcServer.BASIC_CLIENT, "--stdin");
    assertThat(first.exit()).as(first + approverLog()).isZero();
    JsonNode defaultBefore = tokensAsIs("testidp", "default");
    cli.env.put("BROWSER", "");
    // the second connection's --client-id makes the public client the provider's default for new logins
    deviceLogin("testidp", "dev", OidcServer.PUBLIC_CLIENT);
    JsonNode devBefore = tokensAsIs("testidp", "dev");
    server.accessTokenTtl(3600);
    waitUntilExpired("testidp", "default");
    waitUntilExpired("testidp", "dev");
    server.resetCounters();

    Result refreshDefault = cli.run("get", "testidp", "--field", "access_token", "--show-secret");
    Result refreshDev = cli.run("get", "testidp", "--connection", "dev", "--field", "access_token",
        "--show-secret");

    assertThat(refreshDefault.exit()).as(refreshDefault.toString()).isZero();
    assertThat(refreshDev.exit()).as(refreshDev.toString()).isZero();
    assertThat(server.requestsBy(OidcServer.BASIC_CLIENT, "refresh_token")).isEqualTo(1);
    assertThat(server.requestsBy(OidcServer.PUBLIC_CLIENT, "refresh_token")).isEqualTo(1);
    assertThat(server.introspect(refreshDefault.out().strip()).get("client_id").asText())
        .isEqualTo(OidcServer.BASIC_CLIENT);
    assertThat(server.introspect(refreshDev.out().strip()).get("client_id").asText())
        .isEqualTo(OidcServer.PUBLIC_CLIENT);
    assertThat(cli.run("get", "testidp", "--field", "client_id").out().strip()).isEqualTo(OidcServer.BASIC_CLIENT);
    assertThat(cli.run("get", "testidp", "--connection", "dev", "--field", "client_id").out().strip())
        .isEqualTo(OidcServer.PUBLIC_CLIENT);
    String defaultRefresh = tokensAsIs("testidp", "default").get("TESTIDP_REFRESH_TOKEN").asText();
    String devRefresh = tokensAsIs("testidp", "dev").get("TESTIDP_REFRESH_TOKEN").asText();
    assertThat(defaultRefresh).isNotEqualTo(defaultBefore.get("TESTIDP_REFRESH_TOKEN").asText());
    assertThat(devRefresh).isNotEqualTo(devBefore.get("TESTIDP_REFRESH_TOKEN").asText());

    Result logoutDefault = cli.run("logout", "testidp", "--json");

    assertThat(logoutDefault.exit()).as(logoutDefault.toString()).isZero();
    assertThat(logoutDefault.json().get("revoked_at_provider").asBoolean()).as(logoutDefault.toString()).isTrue();
    assertThat(server.requestsBy(OidcServer.BASIC_CLIENT, "revocation")).isPositive();
    assertThat(server.requestsBy(OidcServer.PUBLIC_CLIENT, "revocation")).isZero();
    assertThat(server.active(defaultRefresh)).as("revoked as its own client").isFalse();
    assertThat(server.active(devRefresh)).as("the other connection is untouched").isTrue();

    Result logoutDev = cli.run("logout", "testidp", "--connection", "dev", "--json");

    assertThat(logoutDev.exit()).as(logoutDev.toString()).isZero();
    assertThat(logoutDev.json().get("revoked_at_provider").asBoolean()).isTrue();
    assertThat(server.requestsBy(OidcServer.PUBLIC_CLIENT, "revocation")).isPositive();
    assertThat(server.active(devRefresh)).isFalse();
  }

  // ---- 4. --scopes stays with its connection -------------------------------------------------------------------

  @Test
  void scopesGivenForOneConnection_doNotBecomeTheDefaultOfAnother() throws IOException {
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    Result dev = cli.run("login", "testidp", "--connection", "dev", "--client-id", OidcServer.PUBLIC_CLIENT,
        "--scopes", "openid");
    assertThat(dev.exit()).as(dev + approverLog()).isZero();

    Result third = cli.run("login", "testidp", "--connection", "third");

    assertThat(third.exit()).as(third + approverLog()).isZero();
    // what each login asked for (the authorization URL on stderr), and what the server granted (the record; the
    // server drops offline_access from a request without prompt=consent)
    assertThat(dev.err()).containsPattern("[?&]scope=openid(?:&|\\s)");
    assertThat(third.err()).as("the provider's default scopes")
        .containsPattern("[?&]scope=openid(\\+|%20)email(\\+|%20)offline_access(?:&|\\s)");
    assertThat(scopes("dev")).containsExactly("openid");
    assertThat(scopes("third")).containsExactlyInAnyOrder("openid", "email");
  }

  // ---- 5. a revocation the provider did not perform is reported ------------------------------------------------

  @Test
  void logout_whenTheProviderRefusesTheRevocation_saysSoOnStderr_andInJson_andStillDeletesLocally()
      throws IOException {
    OAuthLoginEndToEndTest.writeProvider(home, "mcpidp", "dcr_pkce", server.issuer());
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    Result login = cli.run("login", "mcpidp");
    assertThat(login.exit()).as(login + approverLog()).isZero();
    String clientId = cli.run("get", "mcpidp", "--field", "client_id").out().strip();
    JsonNode tokens = tokensAsIs("mcpidp", "default");
    // the app is deleted at the provider: every request it authenticates is now refused with invalid_client
    server.deleteClient(clientId);

    Result logout = cli.run("logout", "mcpidp", "--json");

    assertThat(logout.exit()).as(logout.toString()).isZero();
    JsonNode json = logout.json();
    assertThat(json.get("status").asText()).isEqualTo("logged_out");
    assertThat(json.get("revoked_at_provider").asBoolean()).isFalse();
    assertThat(json.at("/revocation/outcome").asText()).isEqualTo("refused");
    assertThat(json.at("/revocation/error").asText()).isEqualTo("invalid_client");
    assertThat(json.at("/revocation/endpoint").asText()).isEqualTo(server.issuer() + "/token/revocation");
    assertThat(logout.err()).contains("NOT revoked at the provider").contains("invalid_client")
        .contains(server.issuer() + "/token/revocation");
    assertNoToken(logout, tokens);
    assertThat(cli.run("get", "mcpidp").exit()).as("deleted locally").isEqualTo(5);
    JsonNode audit = lastAudit("logout");
    assertThat(audit.get("revoked_at_provider").asBoolean()).isFalse();
    assertThat(audit.get("revocation").asText()).isEqualTo("refused");
    assertThat(audit.get("revocation_error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void logoutAndRevoke_whenTheRevocationEndpointIsUnreachable_sayItWasNotRevoked_andStillDeleteLocally()
      throws Exception {
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    JsonNode tokens;
    String issuer;
    try (OidcServer gone = OidcServer.start()) {
      issuer = gone.issuer();
      OAuthLoginEndToEndTest.writeProvider(home, "goneidp", "pkce", issuer);
      Result one = cli.run("login", "goneidp", "--client-id", OidcServer.PUBLIC_CLIENT);
      assertThat(one.exit()).as(one + approverLog()).isZero();
      Result two = cli.run("login", "goneidp", "--connection", "two");
      assertThat(two.exit()).as(two + approverLog()).isZero();
      tokens = tokensAsIs("goneidp", "default");
    }

    Result logout = cli.run("logout", "goneidp");

    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(logout.out()).contains("NOT revoked at the provider");
    assertThat(logout.err()).contains("NOT revoked at the provider").contains("could not reach")
        .contains(issuer + "/token/revocation");
    assertNoToken(logout, tokens);
    assertThat(cli.run("get", "goneidp").exit()).isEqualTo(5);

    Result revoke = cli.run("revoke", "goneidp", "--json");

    assertThat(revoke.exit()).as(revoke.toString()).isZero();
    assertThat(revoke.json().get("revoked_at_provider").asBoolean()).isFalse();
    assertThat(revoke.json().at("/revocations/0/connection").asText()).isEqualTo("two");
    assertThat(revoke.json().at("/revocations/0/revocation/outcome").asText()).isEqualTo("unreachable");
    assertThat(revoke.err()).contains("NOT revoked at the provider");
    assertThat(cli.run("get", "goneidp", "--connection", "two").exit()).isEqualTo(5);
  }

  // ------------------------------------------------------------------------------------------------------------

  /** A device-code login approved by a second process (the headless approver), with {@code --client-id}. */
  private void deviceLogin(String provider, String connection, String clientId) throws Exception {
    List<String> command = new ArrayList<>(List.of(Cli.LAUNCHER.toString(), "login", provider, "--connection",
        connection, "--flow", "device_code", "--client-id", clientId, "--no-browser"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AUTHSOME_"));
    pb.environment().putAll(cli.env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process login = pb.start();
    login.getOutputStream().close();
    StringBuffer err = drainLines(login);
    String uri = awaitMatch(err, DEVICE_URI, login);
    String approval = OidcServer.approve(uri, tmp.resolve("device-approver.log"), "--login bob");
    assertThat(login.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(login.exitValue()).as(err + approval).isZero();
  }

  /** The tokens as {@code export} hands them out, without refreshing first. */
  private JsonNode tokensAsIs(String provider, String connection) {
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    try {
      Result export = cli.run("export", provider, "--connection", connection, "--format", "json");
      assertThat(export.exit()).as(export.toString()).isZero();
      return export.json();
    } finally {
      cli.env.remove("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS");
    }
  }

  private List<String> scopes(String connection) {
    Result r = cli.run("get", "testidp", "--connection", connection, "--field", "scopes", "--json");
    assertThat(r.exit()).as(r.toString()).isZero();
    List<String> out = new ArrayList<>();
    r.json().get("scopes").forEach(n -> out.add(n.asText()));
    return out;
  }

  private void waitUntilExpired(String provider, String connection) throws Exception {
    for (int i = 0; i < 120; i++) {
      Result status = cli.run("get", provider, "--connection", connection, "--field", "status");
      if (status.out().strip().equals("expired")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the short-lived token of " + connection + " never expired");
  }

  /** The newest audit entry of this event. */
  private JsonNode lastAudit(String event) {
    Result log = cli.run("log", "-n", "50", "--json");
    assertThat(log.exit()).as(log.toString()).isZero();
    JsonNode last = null;
    for (JsonNode entry : log.json()) {
      if (event.equals(entry.path("event").asText())) {
        last = entry;
      }
    }
    assertThat(last).as("an audit entry '" + event + "' in " + log.out()).isNotNull();
    return last;
  }

  private static void assertNoToken(Result result, JsonNode tokens) {
    for (var e : tokens.properties()) {
      if (e.getKey().endsWith("_TOKEN")) {
        assertThat(result.out() + result.err()).doesNotContain(e.getValue().asText());
      }
    }
  }

  private String approverLog() throws IOException {
    Path log = tmp.resolve("approver.log");
    return Files.exists(log) ? Files.readString(log) : "(no approver log)";
  }
}
