package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderDefinitions.Format;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code register --issuer}: definitions built from a real server's metadata (oidc-provider), and the failures. */
class IssuerRegistrationTest {
  private static OidcServer server;
  private final IssuerRegistration registration = new IssuerRegistration(new OAuthHttp(EnvironmentProxy.DIRECT));

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
  void definition_fromOidcProviderMetadata_usesDcrAndEveryAdvertisedEndpoint() {
    ProviderDefinition d = registration.definition(server.issuer(), null);

    assertThat(d.name()).isEqualTo("127-0-0-1");
    assertThat(d.authType()).isEqualTo(AuthType.OAUTH2);
    assertThat(d.flow()).isEqualTo("dcr_pkce");
    ProviderDefinition.OAuthConfig o = d.oauth();
    assertThat(o.issuer()).isEqualTo(server.issuer());
    assertThat(o.authorizationUrl()).isEqualTo(server.issuer() + "/auth");
    assertThat(o.tokenUrl()).isEqualTo(server.issuer() + "/token");
    assertThat(o.revocationUrl()).isEqualTo(server.issuer() + "/token/revocation");
    assertThat(o.deviceAuthorizationUrl()).isEqualTo(server.issuer() + "/device/auth");
    assertThat(o.registrationEndpoint()).isEqualTo(server.issuer() + "/reg");
    assertThat(o.userinfoUrl()).isEqualTo(server.issuer() + "/me");
    assertThat(o.scopes()).containsExactly("openid", "profile", "email", "offline_access");
    assertThat(o.supportsDeviceFlow()).isTrue();
    assertThat(o.supportsDcr()).isTrue();
  }

  @Test
  void definition_roundTripsThroughTheWriter_withANameGiven() {
    ProviderDefinition d = registration.definition(server.issuer(), "testidp");

    assertThat(d.name()).isEqualTo("testidp");
    assertThat(ProviderDefinitions.parse(ProviderDefinitions.toYaml(d), Format.YAML, "w")).isEqualTo(d);
  }

  @Test
  void definition_withoutRegistrationEndpoint_isPkce_andAPostOnlyServerSaysSo() throws IOException {
    HttpServer plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String issuer = "http://127.0.0.1:" + plain.getAddress().getPort() + "/tenant";
    plain.createContext("/.well-known/oauth-authorization-server/tenant", exchange -> {
      byte[] body = ("{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
          + "\"token_endpoint\":\"" + issuer + "/token\",\"response_types_supported\":[\"code\"],"
          + "\"scopes_supported\":[\"read\",\"offline_access\"],"
          + "\"token_endpoint_auth_methods_supported\":[\"client_secret_post\",\"none\"]}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    plain.start();
    try {
      ProviderDefinition d = registration.definition(issuer, null);

      assertThat(d.flow()).isEqualTo("pkce");
      assertThat(d.oauth().scopes()).containsExactly("offline_access");
      assertThat(d.oauth().tokenEndpointAuthMethod()).isEqualTo("client_secret_post");
      assertThat(d.oauth().deviceAuthorizationUrl()).isNull();
    } finally {
      plain.stop(0);
    }
  }

  @Test
  void definition_ofANonHttpsIssuer_isAUsageError() {
    assertThatThrownBy(() -> registration.definition("http://auth.example.com", null))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("'http://auth.example.com'").contains("https");
        });
  }

  @Test
  void definition_ofAnUnreachableIssuer_namesTheUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String issuer = "http://127.0.0.1:" + port;

    assertThatThrownBy(() -> registration.definition(issuer, null))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED);
          assertThat(e.getMessage()).startsWith("Cannot reach the issuer " + issuer).doesNotContain("\n");
        });
  }

  @Test
  void authMethod_isWrittenOnlyWhenTheFlowsWouldNotChooseItThemselves() {
    assertThat(IssuerRegistration.authMethod(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
        ClientAuthenticationMethod.CLIENT_SECRET_POST))).isNull();
    assertThat(IssuerRegistration.authMethod(List.of(ClientAuthenticationMethod.NONE))).isEqualTo("none");
    assertThat(IssuerRegistration.defaultName(URI.create("https://auth.example.com/realms/x")))
        .isEqualTo("auth-example-com");
  }
}
