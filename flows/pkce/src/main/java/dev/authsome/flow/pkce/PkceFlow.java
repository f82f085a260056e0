package dev.authsome.flow.pkce;

import dev.authsome.core.AuthType;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.AuthorizationCodeLogin;
import dev.authsome.oauth.LoopbackServer;
import dev.authsome.oauth.OAuthClients;
import dev.authsome.oauth.OAuthConnections;
import dev.authsome.oauth.OAuthFlow;
import dev.authsome.oauth.OAuthSupport;
import dev.authsome.oauth.ServerEndpoints;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.TokenSet;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pkce}: the OAuth 2.0 authorization code grant with PKCE (S256), redirecting to
 * {@code http://127.0.0.1:PORT/auth/callback/oauth}. The client is the provider's stored client record, else
 * {@code --client-id} and what the input chain collects (the client secret is optional: public clients work).
 * Refresh and revocation come from {@link OAuthFlow}.
 */
public final class PkceFlow implements OAuthFlow {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public PkceFlow() {
  }

  @Override
  public String id() {
    return "pkce";
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.OAUTH2);
  }

  @Override
  public String description() {
    return "OAuth 2.0 authorization code with PKCE, through the browser";
  }

  @Override
  public FlowResult login(FlowContext context) {
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.AUTHORIZATION, Endpoint.TOKEN));
    int port = support.settings().callbackPort();
    // Atlassian takes PKCE but still wants the client secret at the token step (oauth.client_secret_required)
    OAuthClients.SecretNeed need = context.provider().oauthConfig().filter(o -> o.clientSecretRequired()).isPresent()
        ? OAuthClients.SecretNeed.REQUIRED : OAuthClients.SecretNeed.OPTIONAL;
    OAuthClients.Resolved client = OAuthClients.resolve(context, endpoints, need,
        Optional.of(LoopbackServer.redirectUri(port)));
    try (LoopbackServer server = LoopbackServer.start(port, context.progress())) {
      TokenSet tokens = AuthorizationCodeLogin.run(support, endpoints, client.config(), client.scopes(), server);
      ConnectionRecord record = OAuthConnections.connected(context, id(), tokens, client.scopes(),
          OAuthConnections.account(support, endpoints, tokens), client.config());
      return new FlowResult(record, client.newRecord().orElse(null));
    }
  }
}
