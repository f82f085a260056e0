package dev.authsome.flow.clientcredentials;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.ClientConfig;
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
 * {@code client_credentials}: machine-to-machine access with a confidential client's id and secret (RFC 6749
 * section 4.4). No browser and no refresh token: "refreshing" is a new token request with the stored client.
 */
public final class ClientCredentialsFlow implements OAuthFlow {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public ClientCredentialsFlow() {
  }

  @Override
  public String id() {
    return "client_credentials";
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.OAUTH2);
  }

  @Override
  public String description() {
    return "OAuth 2.0 client credentials, for machine-to-machine APIs";
  }

  @Override
  public FlowResult login(FlowContext context) {
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.TOKEN));
    OAuthClients.Resolved client = OAuthClients.resolve(context, endpoints, OAuthClients.SecretNeed.REQUIRED,
        Optional.empty());
    TokenSet tokens = OAuthConnections.clientCredentials(support, endpoints, client.config(), client.scopes(),
        ErrorCode.AUTHENTICATION_FAILED);
    ConnectionRecord record = OAuthConnections.connected(context, id(), tokens, client.scopes(),
        new ConnectionRecord.Account(client.config().clientId(), "client " + client.config().clientId()),
        client.config());
    return new FlowResult(record, client.newRecord().orElse(null));
  }

  /** There is never a refresh token: a new token is requested with the stored client credentials. */
  @Override
  public boolean refreshesWithoutRefreshToken() {
    return true;
  }

  @Override
  public ConnectionRecord refresh(FlowContext context, ConnectionRecord current) {
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.TOKEN));
    ClientConfig client = OAuthClients.stored(context, endpoints)
        .filter(c -> c.clientSecret().isPresent())
        .orElseThrow(() -> new AuthsomeException(ErrorCode.REFRESH_FAILED, "no client secret is stored for "
            + current.provider() + "; run 'authsome login " + current.provider() + " --force'"));
    TokenSet tokens = OAuthConnections.clientCredentials(support, endpoints, client, current.scopes(),
        ErrorCode.REFRESH_FAILED);
    return OAuthConnections.renewed(current, tokens, context.clock().instant());
  }
}
