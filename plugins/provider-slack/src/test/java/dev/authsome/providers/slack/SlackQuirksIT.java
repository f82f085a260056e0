package dev.authsome.providers.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import dev.authsome.core.Secret;
import dev.authsome.flow.pkce.PkceFlow;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack plugin jar as built, through the real plugin host and the real pkce flow, against a loopback server that
 * answers as Slack documents: {@code oauth.v2.access} at https://api.slack.com/methods/oauth.v2.access and
 * https://api.slack.com/authentication/oauth-v2 (user token under {@code authed_user}, {@code ok:false} errors with
 * HTTP 200, comma-separated scopes; rotation fields per https://api.slack.com/authentication/rotation), and
 * {@code auth.revoke} at https://api.slack.com/methods/auth.revoke.
 */
class SlackQuirksIT {
  private static final Pattern AUTHORIZE = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/oauth/v2/authorize\\?\\S+)");

  @TempDir Path home;
  private Loopback slack;

  @BeforeEach
  void start() throws IOException {
    slack = new Loopback(home);
    slack.server.createContext("/oauth/v2/authorize", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      String redirect = URLDecoder.decode(param(query, "redirect_uri"), StandardCharsets.UTF_8);
      String code = param(query, "client_id").equals("1111.good") ? "good-code" : "used-code";
      exchange.getResponseHeaders().add("Location", redirect + "?code=" + code + "&state=" + param(query, "state"));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    slack.server.createContext("/api/oauth.v2.access", exchange -> {
      String body = slack.record(exchange);
      if (!body.contains("code=good-code")) {
        Loopback.reply(exchange, 200, "{\"ok\":false,\"error\":\"invalid_code\"}");
        return;
      }
      Loopback.reply(exchange, 200, """
          {"ok": true, "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
           "token_type": "bot", "scope": "commands,incoming-webhook", "bot_user_id": "U0KRQLJ9H",
           "app_id": "A0KRD7HC3", "team": {"name": "Slack Softball Team", "id": "T9TK3CUKW"},
           "expires_in": 43200, "refresh_token": "xoxe-1-bot-refresh",
           "authed_user": {"id": "U1234", "scope": "chat:write,channels:read", "access_token": "xoxp-1234",
             "token_type": "user", "expires_in": 43200, "refresh_token": "xoxe-1-user-refresh"}}
          """);
    });
    slack.server.createContext("/api/auth.revoke", exchange -> {
      slack.record(exchange);
      boolean dead = "Bearer xoxp-dead".equals(exchange.getRequestHeaders().getFirst("Authorization"));
      Loopback.reply(exchange, 200, dead ? "{\"ok\":false,\"error\":\"invalid_auth\"}"
          : "{\"ok\":true,\"revoked\":true}");
    });
    slack.start();
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  private TestFlowContext context(String clientId) throws IOException {
    return new TestFlowContext(slack.definition("slack")).extension(OAuthQuirks.class, slack.quirks("slack"))
        .option("client_id", clientId)
        .option("no_browser", "true")
        .option("callback_port", Integer.toString(freePort()))
        .timeout(Duration.ofSeconds(30))
        .input(request -> Map.of("client_secret", Secret.of("slack-client-secret")));
  }

  @Test
  void login_liftsTheUserTokenOutOfAuthedUser_withItsRefreshTokenScopesAndExpiry() throws Exception {
    TestFlowContext context = context("1111.good");
    browser(context);

    ConnectionRecord record = new PkceFlow().login(context).connection();

    assertThat(record.accessToken()).isEqualTo("xoxp-1234");
    assertThat(record.refreshToken()).isEqualTo("xoxe-1-user-refresh");
    assertThat(record.scopes()).containsExactly("chat:write", "channels:read");
    assertThat(record.tokenType()).isEqualToIgnoringCase("Bearer");
    assertThat(record.expiresAt()).isNotNull();
  }

  @Test
  void login_refusedWithOkFalseAndHttp200_failsWithSlacksError() throws Exception {
    TestFlowContext context = context("2222.stale");
    browser(context);

    assertThatThrownBy(() -> new PkceFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("invalid_code");
        });
  }

  @Test
  void revoke_callsAuthRevokeWithTheAccessTokenAsBearer_andNeverSendsTheRefreshToken() throws Exception {
    TestFlowContext context = context("1111.good").client(new ClientRecord(1, "slack", "default", "1111.good",
        "slack-client-secret", null, List.of(), "user", null, null, Map.of()));
    ConnectionRecord current = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "slack", "default", "default",
        AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, null, List.of(), List.of("chat:write"), "xoxp-1234",
        "xoxe-1-user-refresh", null, "Bearer", null, null, null, ConnectionRecord.Account.UNKNOWN, Map.of());

    new PkceFlow().revoke(context, current);

    assertThat(slack.requests).singleElement().asString().startsWith("POST /api/auth.revoke [Bearer xoxp-1234]")
        .doesNotContain("xoxe-1-user-refresh");
    assertThat(context.progressText()).doesNotContain("Warning");
  }

  @Test
  void revoke_answeredWithOkFalseAndHttp200_isARefusalWithSlacksError() throws Exception {
    TestFlowContext context = context("1111.good").client(new ClientRecord(1, "slack", "default", "1111.good",
        "slack-client-secret", null, List.of(), "user", null, null, Map.of()));
    ConnectionRecord current = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "slack", "default", "default",
        AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, null, List.of(), List.of("chat:write"), "xoxp-dead",
        null, null, "Bearer", null, null, null, ConnectionRecord.Account.UNKNOWN, Map.of());

    Revocation outcome = new PkceFlow().revokeAtProvider(context, current);

    assertThat(outcome.outcome()).isEqualTo(Revocation.Outcome.REFUSED);
    assertThat(outcome.error()).isEqualTo("invalid_auth");
    assertThat(outcome.detail()).doesNotContain("xoxp-dead");
  }

  /** Plays the browser: follows the printed authorization URL and Slack's redirect to the loopback callback. */
  private static void browser(TestFlowContext context) {
    Thread t = new Thread(() -> {
      try {
        Matcher m;
        while (!(m = AUTHORIZE.matcher(context.progressText())).find()) {
          Thread.sleep(20);
        }
        HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NORMAL)
            .build().send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.discarding());
      } catch (IOException | InterruptedException e) {
        // the flow then times out and the test fails on its own
      }
    });
    t.setDaemon(true);
    t.start();
  }

  private static String param(String query, String name) {
    for (String pair : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        return pair.substring(name.length() + 1);
      }
    }
    return "";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
