package dev.authsome.providers.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.flow.pkce.PkceFlow;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TikTok plugin jar as built, through the real plugin host and a real pkce login, against a loopback server that
 * stands in for TikTok as https://developers.tiktok.com/doc/oauth-user-access-token-management documents it: the
 * authorization page reads {@code client_key} and comma-joined scopes, the token endpoint wants {@code client_key}
 * and {@code client_secret} in a form body and answers {@code access_token}, {@code open_id}, {@code refresh_token}
 * and comma-separated {@code scope}; anything that names {@code client_id} instead is refused. curl plays the browser
 * and follows the redirect to the loopback callback.
 */
class TikTokQuirksIT {
  @TempDir Path home;
  private Loopback tiktok;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    tiktok = new Loopback(home);
    tiktok.server.createContext("/v2/auth/authorize/", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      authorizations.add(query);
      Map<String, List<String>> params = URLUtils.parseParameters(query);
      if (!params.containsKey("client_key") || params.containsKey("client_id")) {
        Loopback.reply(exchange, 400, "{\"error\":\"invalid_client\"}");
        return;
      }
      String redirect = params.get("redirect_uri").get(0) + "?code=tt-code&scopes=user.info.basic&state="
          + params.get("state").get(0);
      exchange.getResponseHeaders().add("Location", redirect);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    tiktok.server.createContext("/v2/oauth/token/", exchange -> {
      Map<String, List<String>> form = URLUtils.parseParameters(tiktok.record(exchange));
      boolean ok = List.of("tt-key").equals(form.get("client_key"))
          && List.of("tt-secret").equals(form.get("client_secret")) && !form.containsKey("client_id")
          && List.of("tt-code").equals(form.get("code"));
      Loopback.reply(exchange, ok ? 200 : 400, ok
          ? "{\"access_token\":\"act.tt-access\",\"expires_in\":86400,\"open_id\":\"tt-open-id\","
              + "\"refresh_expires_in\":31536000,\"refresh_token\":\"rft.tt-refresh\",\"scope\":\"user.info.basic\","
              + "\"token_type\":\"Bearer\"}"
          : "{\"error\":\"invalid_client\",\"error_description\":\"client_key or secret missing\"}");
    });
    tiktok.start();
  }

  @AfterEach
  void stop() {
    tiktok.close();
  }

  @Test
  void login_namesTheClientClientKey_inTheAuthorizationAndTokenRequests_andConnects() throws IOException {
    TestFlowContext context = new TestFlowContext(tiktok.definition("tiktok-personal"))
        .extension(OAuthQuirks.class, tiktok.quirks("tiktok-personal"))
        .client(new ClientRecord(1, "tiktok-personal", "default", "tt-key", "tt-secret", null, List.of(), "user",
            null, null, Map.of()))
        .scopes(List.of("user.info.basic", "video.list"))
        .option("callback_port", Integer.toString(freePort()))
        .option("browser", "curl -s -o /dev/null -L %s")
        .timeout(Duration.ofSeconds(30));

    FlowResult result = new PkceFlow().login(context);

    assertThat(authorizations).singleElement().satisfies(query -> {
      Map<String, List<String>> params = URLUtils.parseParameters(query);
      assertThat(params.get("client_key")).containsExactly("tt-key");
      assertThat(params).doesNotContainKey("client_id");
      assertThat(params.get("scope")).containsExactly("user.info.basic,video.list");
    });
    assertThat(tiktok.requests).singleElement().asString().startsWith("POST /v2/oauth/token/")
        .doesNotContain("[Basic ").contains("client_key=tt-key").contains("client_secret=tt-secret")
        .doesNotContain("client_id=");
    assertThat(result.connection().accessToken()).isEqualTo("act.tt-access");
    assertThat(result.connection().refreshToken()).isEqualTo("rft.tt-refresh");
  }

  @Test
  void basicClientCredentials_areMovedIntoTheBody_asClientKeyAndSecret() {
    var request = new com.nimbusds.oauth2.sdk.http.HTTPRequest(com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.POST,
        java.net.URI.create("https://open.tiktokapis.com/v2/oauth/token/"));
    request.setAuthorization("Basic " + java.util.Base64.getEncoder().encodeToString(
        "tt%3Akey:s%26cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    request.setBody("grant_type=refresh_token&refresh_token=rft.1");

    var adjusted = TikTokQuirks.clientKeyInBody(request);

    assertThat(adjusted.getAuthorization()).isNull();
    assertThat(URLUtils.parseParameters(adjusted.getBody())).containsEntry("client_key", List.of("tt:key"))
        .containsEntry("client_secret", List.of("s&cret")).containsEntry("refresh_token", List.of("rft.1"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
