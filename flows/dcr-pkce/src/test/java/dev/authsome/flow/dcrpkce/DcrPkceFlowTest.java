package dev.authsome.flow.dcrpkce;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.oauth.testing.TestFlowContext;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dcr_pkce flow: registration at a real authorization server found by discovery, then PKCE. */
class DcrPkceFlowTest {
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

  @Test
  void login_registersANativePublicClient_thenReusesIt() throws Exception {
    int port = freePort();
    var provider = server.discoveredProvider("mcpidp", "dcr_pkce", List.of("openid", "email"));
    TestFlowContext context = new TestFlowContext(provider)
        .option("callback_port", Integer.toString(port))
        .option("browser", OidcServer.approver(tmp.resolve("approver.log"), "--login gina"));
    int before = server.registrations();

    FlowResult first = new DcrPkceFlow().login(context);

    ClientRecord client = first.clientRecord().orElseThrow();
    assertThat(client.source()).isEqualTo("dcr");
    assertThat(client.clientSecret()).as("a public client").isNull();
    assertThat(client.registrationEndpoint()).isEqualTo(server.issuer() + "/reg");
    assertThat(client.metadata()).containsEntry("redirect_uri", "http://127.0.0.1:" + port + "/auth/callback/oauth")
        .containsEntry("token_endpoint_auth_method", "none");
    assertThat(first.connection().account().id()).isEqualTo("gina");

    FlowResult second = new DcrPkceFlow().login(context.client(client));

    assertThat(second.clientRecord()).as("the stored registration is reused").isEmpty();
    assertThat(server.registrations() - before).isEqualTo(1);
    assertThat(new DcrPkceFlow().refresh(context, second.connection()).accessToken()).isNotBlank();
  }

  @Test
  void login_findsTheAuthorizationServerThroughProtectedResourceMetadata() throws Exception {
    // An MCP-style resource server that publishes RFC 9728 metadata naming the authorization server.
    HttpServer resource = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    resource.createContext("/.well-known/oauth-protected-resource/mcp", exchange -> {
      byte[] body = ("{\"resource\":\"http://127.0.0.1:" + resource.getAddress().getPort() + "/mcp\","
          + "\"authorization_servers\":[\"" + server.issuer() + "\"]}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    resource.start();
    try {
      var provider = OidcServer.provider("mcp", "dcr_pkce", List.of("openid"),
          new OidcServer.Endpoints(null, null, null, null, null, null, null), null, java.util.Map.of(),
          "oauth2_form", List.of("http://127.0.0.1:" + resource.getAddress().getPort() + "/mcp"));
      TestFlowContext context = new TestFlowContext(provider)
          .option("callback_port", Integer.toString(freePort()))
          .option("browser", OidcServer.approver(tmp.resolve("approver.log")));

      FlowResult result = new DcrPkceFlow().login(context);

      assertThat(result.clientRecord().orElseThrow().registrationEndpoint()).isEqualTo(server.issuer() + "/reg");
      assertThat(result.connection().accessToken()).isNotBlank();
    } finally {
      resource.stop(0);
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
