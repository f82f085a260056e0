package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.testing.OidcServer;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Endpoint discovery against a real authorization server's metadata. */
class DiscoveryTest {
  private static OidcServer server;

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

  private final Discovery discovery = new Discovery(new OAuthHttp(EnvironmentProxy.DIRECT));

  @Test
  void endpoints_fromIssuerOnly_areAllDiscoveredWithRfc9207Support() {
    ServerEndpoints e = discovery.endpoints(server.discoveredProvider("d", "pkce", List.of()),
        EnumSet.of(Endpoint.AUTHORIZATION, Endpoint.TOKEN));

    assertThat(e.authorization()).contains(URI.create(server.issuer() + "/auth"));
    assertThat(e.token()).contains(URI.create(server.issuer() + "/token"));
    assertThat(e.revocation()).contains(URI.create(server.issuer() + "/token/revocation"));
    assertThat(e.deviceAuthorization()).contains(URI.create(server.issuer() + "/device/auth"));
    assertThat(e.registration()).contains(URI.create(server.issuer() + "/reg"));
    assertThat(e.userinfo()).contains(URI.create(server.issuer() + "/me"));
    assertThat(e.issParameterSupported()).isTrue();
    assertThat(e.tokenEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
  }

  @Test
  void endpoints_missingFromTheDefinition_areFoundAtTheAuthorizationUrlsOrigin() {
    ProviderDefinition provider = OidcServer.provider("o", "dcr_pkce", List.of(), new OidcServer.Endpoints(
        server.issuer() + "/auth", server.issuer() + "/token", null, null, null, null, null), null, Map.of());

    ServerEndpoints e = discovery.endpoints(provider, EnumSet.of(Endpoint.REGISTRATION));

    assertThat(e.registration()).contains(URI.create(server.issuer() + "/reg"));
  }

  @Test
  void endpoints_declaredInTheDefinition_winOverMetadata() {
    ProviderDefinition provider = OidcServer.provider("w", "pkce", List.of(), new OidcServer.Endpoints(
        null, "https://override.example/token", null, null, null, null, server.issuer()), null, Map.of());

    ServerEndpoints e = discovery.endpoints(provider, EnumSet.of(Endpoint.TOKEN));

    assertThat(e.token()).contains(URI.create("https://override.example/token"));
    assertThat(e.authorization()).contains(URI.create(server.issuer() + "/auth"));
  }

  @Test
  void clientAuthentication_followsTheDefinitionThenTheSecretThenMetadata_elseClientSecretPost() {
    ProviderDefinition declaredPost = OidcServer.provider("p", "pkce", List.of(), new OidcServer.Endpoints(
        null, null, null, null, null, null, null), "client_secret_post", Map.of());
    ServerEndpoints none = Discovery.fromDefinition("p", declaredPost.oauth());
    ServerEndpoints postOnly = new ServerEndpoints("p", java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), false, List.of(ClientAuthenticationMethod.CLIENT_SECRET_POST));
    ProviderDefinition undeclared = OidcServer.provider("u", "pkce", List.of(), new OidcServer.Endpoints(
        null, null, null, null, null, null, null), null, Map.of());

    assertThat(OAuthClients.config(declaredPost, none, "c", "s").method())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    assertThat(OAuthClients.config(undeclared, none, "c", null).method()).isEqualTo(ClientAuthenticationMethod.NONE);
    // no metadata: what the reference tool always did, the secret in the form body
    assertThat(OAuthClients.config(undeclared, none, "c", "s").method())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    assertThat(OAuthClients.config(undeclared, postOnly, "c", "s").method())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
    // metadata that lists both: RFC 8414's default, HTTP Basic
    ServerEndpoints both = new ServerEndpoints("p", java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), false, List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
        ClientAuthenticationMethod.CLIENT_SECRET_POST));
    assertThat(OAuthClients.config(undeclared, both, "c", "s").method())
        .isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
  }
}
