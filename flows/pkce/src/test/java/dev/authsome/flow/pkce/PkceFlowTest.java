package dev.authsome.flow.pkce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.oauth.testing.TestFlowContext;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pkce flow against a real authorization server (oidc-provider), with the headless approver as $BROWSER. */
class PkceFlowTest {
  private static OidcServer server;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startServer() {
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private TestFlowContext context(String approverArgs) throws Exception {
    var provider = server.discoveredProvider("testidp", "pkce", List.of("openid", "email", "offline_access"));
    return new TestFlowContext(provider)
        .option("client_id", OidcServer.PUBLIC_CLIENT)
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log"), approverArgs))
        .timeout(Duration.ofSeconds(60))
        // a public client: the optional secret and scopes are left empty, as a non-terminal would
        .input(request -> Map.of());
  }

  @Test
  void login_withPublicClient_storesTokensAccountAndTheEnteredClient() throws Exception {
    TestFlowContext context = context("--login alice");

    FlowResult result = new PkceFlow().login(context);

    ConnectionRecord record = result.connection();
    assertThat(record.status()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(record.flow()).isEqualTo("pkce");
    assertThat(record.accessToken()).isNotBlank();
    assertThat(record.refreshToken()).isNotBlank();
    assertThat(record.idToken()).isNotBlank();
    assertThat(record.expiresAt()).isNotNull();
    assertThat(record.account().id()).isEqualTo("alice");
    assertThat(record.account().label()).isEqualTo("alice@example.test");
    assertThat(server.active(record.accessToken())).isTrue();
    ClientRecord client = result.clientRecord().orElseThrow();
    assertThat(client.clientId()).isEqualTo(OidcServer.PUBLIC_CLIENT);
    assertThat(client.clientSecret()).isNull();
    assertThat(client.source()).isEqualTo("user");
    assertThat(context.progressText()).contains("/auth?").contains("code_challenge_method=S256");
  }

  @Test
  void login_withConfidentialClientFromInput_usesClientSecretBasic() throws Exception {
    var provider = server.explicitProvider("testidp-basic", "pkce", List.of("openid", "email"), null);
    TestFlowContext context = new TestFlowContext(provider)
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log"), "--login bob"))
        .input(request -> Map.of("client_id", Secret.of(OidcServer.BASIC_CLIENT),
            "client_secret", Secret.of(OidcServer.BASIC_SECRET)));

    FlowResult result = new PkceFlow().login(context);

    assertThat(result.connection().account().id()).isEqualTo("bob");
    assertThat(result.clientRecord().orElseThrow().clientSecret()).isEqualTo(OidcServer.BASIC_SECRET);
  }

  @Test
  void login_withClientSecretPostDeclared_authenticatesInTheBody() throws Exception {
    var provider = server.explicitProvider("testidp-post", "pkce", List.of("openid"), "client_secret_post");
    ClientRecord stored = new ClientRecord(1, "testidp-post", "default", OidcServer.POST_CLIENT,
        OidcServer.POST_SECRET, null, List.of(), "user", null, null, Map.of());
    TestFlowContext context = new TestFlowContext(provider).client(stored)
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log")));

    FlowResult result = new PkceFlow().login(context);

    assertThat(result.connection().accessToken()).isNotBlank();
    assertThat(result.clientRecord()).as("a stored client is reused, not stored again").isEmpty();
  }

  @Test
  void login_sendsTheDefinitionsAuthorizeParams_andANonceWithOpenid() throws Exception {
    var provider = OidcServer.provider("google-like", "pkce", List.of("openid", "offline_access"),
        new OidcServer.Endpoints(server.issuer() + "/auth", server.issuer() + "/token", null, null, null, null,
            server.issuer()), null, Map.of("prompt", "consent", "access_type", "offline"));
    TestFlowContext context = new TestFlowContext(provider)
        .option("client_id", OidcServer.PUBLIC_CLIENT)
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log")))
        .input(request -> Map.of());

    FlowResult result = new PkceFlow().login(context);

    assertThat(context.progressText()).contains("prompt=consent").contains("access_type=offline")
        .contains("nonce=").contains("state=");
    assertThat(result.connection().refreshToken()).isNotBlank();
  }

  @Test
  void login_withNoBrowserAtAll_printsTheUrlAndHowToReachTheCallback() throws Exception {
    TestFlowContext context = context("").option("no_browser", "true").timeout(Duration.ofSeconds(2));

    assertThatThrownBy(() -> new PkceFlow().login(context)).isInstanceOf(AuthsomeException.class);

    assertThat(context.progressText()).contains("Open this URL in a browser").contains("ssh -L");
  }

  @Test
  void login_withClientIdFlagNamingAnotherClient_replacesTheStoredOne() throws Exception {
    var provider = server.explicitProvider("switch", "pkce", List.of("openid"), null);
    ClientRecord stored = new ClientRecord(1, "switch", "default", "no-longer-registered", null, null, List.of(),
        "user", null, null, Map.of());
    TestFlowContext context = new TestFlowContext(provider).client(stored)
        .option("client_id", OidcServer.PUBLIC_CLIENT)
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log")))
        .input(request -> Map.of());

    FlowResult result = new PkceFlow().login(context);

    assertThat(result.clientRecord().orElseThrow().clientId()).isEqualTo(OidcServer.PUBLIC_CLIENT);
  }

  @Test
  void login_deniedByTheUser_failsWithAuthenticationFailed() throws Exception {
    TestFlowContext context = context("--deny");

    assertThatThrownBy(() -> new PkceFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("access_denied");
        });
  }

  @Test
  void login_withForgedState_rejectsTheCallbackAndNeverConnects() throws Exception {
    TestFlowContext context = context("--forge-state").timeout(Duration.ofSeconds(8));

    assertThatThrownBy(() -> new PkceFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CANCELLED));
    assertThat(context.progressText()).contains("state does not match");
  }

  @Test
  void refresh_rotatesTheRefreshToken_andTheOldOneIsDead() throws Exception {
    TestFlowContext context = context("--login carol");
    FlowResult login = new PkceFlow().login(context);
    ConnectionRecord first = login.connection();
    TestFlowContext withClient = context.client(login.clientRecord().orElseThrow());

    ConnectionRecord refreshed = new PkceFlow().refresh(withClient, first);

    assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(refreshed.refreshToken()).isNotBlank().isNotEqualTo(first.refreshToken());
    assertThat(refreshed.account()).isEqualTo(first.account());
    assertThat(server.active(refreshed.accessToken())).isTrue();
    assertThat(server.active(first.refreshToken())).as("the used refresh token").isFalse();
  }

  @Test
  void revoke_revokesRefreshAndAccessTokenAtTheServer() throws Exception {
    TestFlowContext context = context("--login dave");
    FlowResult login = new PkceFlow().login(context);
    ConnectionRecord record = login.connection();
    assertThat(server.active(record.refreshToken())).isTrue();

    Revocation outcome = new PkceFlow().revokeAtProvider(context.client(login.clientRecord().orElseThrow()), record);

    assertThat(outcome.revokedAtProvider()).isTrue();
    assertThat(server.active(record.refreshToken())).isFalse();
    assertThat(server.active(record.accessToken())).isFalse();
  }

  @Test
  void revoke_asAClientTheServerRejects_isRefusedWithTheOAuthErrorCode_andNoToken() throws Exception {
    TestFlowContext context = context("--login dave");
    ConnectionRecord record = new PkceFlow().login(context).connection();
    ClientRecord wrongSecret = new ClientRecord(1, "testidp", "default", OidcServer.BASIC_CLIENT, "not-the-secret",
        null, List.of(), "user", null, null, Map.of());

    Revocation outcome = new PkceFlow().revokeAtProvider(context.client(wrongSecret), record);

    assertThat(outcome.outcome()).isEqualTo(Revocation.Outcome.REFUSED);
    assertThat(outcome.error()).isEqualTo("invalid_client");
    assertThat(outcome.endpoint()).isEqualTo(server.issuer() + "/token/revocation");
    assertThat(outcome.detail()).contains("refused to revoke the refresh token").contains("invalid_client")
        .doesNotContain(record.refreshToken()).doesNotContain(record.accessToken());
    assertThat(server.active(record.refreshToken())).as("still active").isTrue();
  }

  @Test
  void revoke_withUnreachableServer_isUnreachableNamingTheEndpoint() throws Exception {
    var provider = OidcServer.provider("gone", "pkce", List.of(), new OidcServer.Endpoints(
        "http://127.0.0.1:9/auth", "http://127.0.0.1:9/token", "http://127.0.0.1:9/revoke", null, null, null, null),
        null, Map.of());
    ClientRecord client = new ClientRecord(1, "gone", "default", "cid", null, null, List.of(), "user", null, null,
        Map.of());
    TestFlowContext context = new TestFlowContext(provider).client(client);
    ConnectionRecord record = new ConnectionRecord(2, "gone", "default", "default", dev.authsome.core.AuthType.OAUTH2,
        "pkce", ConnectionStatus.CONNECTED, null, List.of(), List.of(), "at", "rt", null, "Bearer", null, null, null,
        ConnectionRecord.Account.UNKNOWN, Map.of());

    Revocation outcome = new PkceFlow().revokeAtProvider(context, record);

    assertThat(outcome.outcome()).isEqualTo(Revocation.Outcome.UNREACHABLE);
    assertThat(outcome.detail()).contains("could not reach http://127.0.0.1:9/revoke");
    assertThat(outcome.endpoint()).isEqualTo("http://127.0.0.1:9/revoke");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
