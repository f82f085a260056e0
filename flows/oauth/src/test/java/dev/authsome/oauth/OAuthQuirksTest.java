package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quirks hook, against a loopback server that bends the standard the way GitHub (form-encoded answers unless asked
 * for JSON, errors with HTTP 200) and HubSpot (revocation with DELETE) do.
 */
class OAuthQuirksTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer vendor;
  private String base;

  @BeforeEach
  void start() throws IOException {
    vendor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + vendor.getAddress().getPort();
    vendor.createContext("/login/oauth/access_token", exchange -> {
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      seen.add("token Accept=" + accept);
      if ("application/vnd.github+json".equals(accept)) {
        reply(exchange, 200, "application/json", "{\"error\":\"bad_verification_code\","
            + "\"error_description\":\"The code passed is incorrect or expired.\"}");
      } else {
        reply(exchange, 200, "application/x-www-form-urlencoded", "error=bad_verification_code");
      }
    });
    vendor.createContext("/oauth/v1/refresh-tokens/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      reply(exchange, 204, "text/plain", "");
    });
    vendor.start();
  }

  @AfterEach
  void stop() {
    vendor.stop(0);
  }

  /** What a GitHub quirk does: ask for JSON, and turn a 200 carrying "error" into the 400 RFC 6749 prescribes. */
  static final class GitHubLike implements OAuthQuirks {
    @Override
    public HTTPRequest adjustTokenRequest(HTTPRequest request) {
      request.setAccept("application/vnd.github+json");
      return request;
    }

    @Override
    public HTTPResponse preParseTokenResponse(HTTPResponse response) {
      try {
        JSONObject json = response.getBodyAsJSONObject();
        if (response.getStatusCode() == 200 && json.containsKey("error")) {
          HTTPResponse fixed = new HTTPResponse(400);
          fixed.setContentType("application/json");
          fixed.setBody(response.getBody());
          return fixed;
        }
      } catch (ParseException e) {
        // not JSON: leave it to the standard parser
      }
      return response;
    }
  }

  private com.nimbusds.oauth2.sdk.TokenRequest codeRequest() {
    return ClientConfig.publicClient("cid").tokenRequest(URI.create(base + "/login/oauth/access_token"),
        new AuthorizationCodeGrant(new AuthorizationCode("code"), URI.create("http://127.0.0.1:7998/cb"))).build();
  }

  @Test
  void withoutQuirks_aHttp200ErrorIsNotMistakenForTokens() {
    assertThatThrownBy(() -> new TokenEndpoint(new OAuthHttp(EnvironmentProxy.DIRECT), OAuthQuirks.NONE)
        .exchange(codeRequest(), ErrorCode.AUTHENTICATION_FAILED, "the code exchange"))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.getMessage()).contains("not an OAuth token response"));
  }

  @Test
  void withQuirks_theRequestIsAdjustedAndTheResponseParsedAsTheErrorItIs() {
    TokenEndpoint.Outcome outcome = new TokenEndpoint(new OAuthHttp(EnvironmentProxy.DIRECT), new GitHubLike())
        .send(codeRequest(), ErrorCode.AUTHENTICATION_FAILED, false);

    assertThat(seen).containsExactly("token Accept=application/vnd.github+json");
    assertThat(outcome).isInstanceOfSatisfying(TokenEndpoint.Outcome.Refused.class,
        r -> assertThat(r.error().getCode()).isEqualTo("bad_verification_code"));
  }

  @Test
  void revoke_withCustomRevocationQuirk_sendsTheProvidersOwnRequest() {
    OAuthQuirks hubSpotLike = new OAuthQuirks() {
      @Override
      public Optional<HTTPRequest> revocationRequest(TokenRevocationRequest standard) {
        if (!(standard.getToken() instanceof com.nimbusds.oauth2.sdk.token.RefreshToken)) {
          return Optional.empty(); // HubSpot revokes refresh tokens only
        }
        return Optional.of(new HTTPRequest(HTTPRequest.Method.DELETE,
            URI.create(base + "/oauth/v1/refresh-tokens/" + standard.getToken().getValue())));
      }
    };
    var provider = OidcServer.provider("hubspotlike", "pkce", List.of(), new OidcServer.Endpoints(
        base + "/auth", base + "/token", base + "/oauth/v1/refresh-tokens", null, null, null, null), null, Map.of());
    TestFlowContext context = new TestFlowContext(provider).extension(OAuthQuirks.class, hubSpotLike)
        .client(new ClientRecord(1, "hubspotlike", "default", "cid", "secret", null, List.of(), "user", null, null,
            Map.of()));
    ConnectionRecord record = new ConnectionRecord(2, "hubspotlike", "default", "default", AuthType.OAUTH2, "pkce",
        ConnectionStatus.CONNECTED, null, List.of(), List.of(), "access-1", "refresh-1", null, "Bearer", null, null,
        null, ConnectionRecord.Account.UNKNOWN, Map.of());

    OAuthConnections.revoke(context, record);

    assertThat(seen).containsExactly("DELETE /oauth/v1/refresh-tokens/refresh-1");
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
