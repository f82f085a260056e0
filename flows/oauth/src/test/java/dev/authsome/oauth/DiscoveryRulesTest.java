package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.Issuer;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What discovery accepts from a server, against a real loopback HTTP server serving metadata documents: endpoints and
 * issuers are held to https-except-loopback, and a failed lookup is asked again rather than remembered.
 */
class DiscoveryRulesTest {
  private HttpServer server;
  private String issuer;
  private final AtomicReference<String> tokenEndpoint = new AtomicReference<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicReference<String> resourceIssuer = new AtomicReference<>();
  private final Discovery discovery = new Discovery(new OAuthHttp(EnvironmentProxy.DIRECT));

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/.well-known/oauth-authorization-server", exchange -> {
      if (failuresLeft.getAndDecrement() > 0) {
        reply(exchange, 503, "{}");
        return;
      }
      reply(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/auth\","
          + "\"token_endpoint\":\"" + tokenEndpoint.get() + "\",\"response_types_supported\":[\"code\"]}");
    });
    server.createContext("/.well-known/openid-configuration", exchange -> reply(exchange, 404, "{}"));
    server.createContext("/.well-known/oauth-protected-resource", exchange -> reply(exchange, 200,
        "{\"resource\":\"" + issuer + "/mcp\",\"authorization_servers\":[\"" + resourceIssuer.get() + "\"]}"));
    server.start();
    Discovery.clearCache();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    Discovery.clearCache();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void metadataNamingAPlainHttpEndpointOffLoopback_isRefused_namingTheEndpoint() {
    tokenEndpoint.set("http://idp.example/token");

    assertThatThrownBy(() -> discovery.metadata(new Issuer(issuer)))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER))
        .hasMessageContaining("token_endpoint is 'http://idp.example/token'").hasMessageContaining("https");
  }

  @Test
  void metadataWithHttpsOrLoopbackEndpoints_isUsed() {
    tokenEndpoint.set("https://idp.example/token");

    assertThat(discovery.metadata(new Issuer(issuer))).get()
        .satisfies(md -> assertThat(md.getTokenEndpointURI()).isEqualTo(URI.create("https://idp.example/token")));
  }

  @Test
  void protectedResourceNamingAPlainHttpIssuerOffLoopback_isRefused() {
    resourceIssuer.set("http://idp.example");

    assertThatThrownBy(() -> discovery.protectedResourceIssuer(URI.create(issuer + "/mcp")))
        .isInstanceOf(AuthsomeException.class).hasMessageContaining("'http://idp.example'");
  }

  @Test
  void aFailedLookup_isNotRemembered_theNextOneAsksAgain() {
    tokenEndpoint.set(issuer + "/token");
    failuresLeft.set(1);

    assertThat(discovery.metadata(new Issuer(issuer))).as("the server was down").isEmpty();
    assertThat(discovery.metadata(new Issuer(issuer))).as("and is back").isPresent();
  }
}
