package com.example.authsome.tokenexchange;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import dev.authsome.oauth.ClientConfig;
import dev.authsome.oauth.OAuthClients;
import dev.authsome.oauth.OAuthConnections;
import dev.authsome.oauth.OAuthFlow;
import dev.authsome.oauth.OAuthSupport;
import dev.authsome.oauth.ServerEndpoints;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.TokenSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code token_exchange}: trades a token the user already has (the "subject token", for example an access token of
 * the company's identity provider) for a token of this provider, with the OAuth 2.0 token exchange grant (RFC 8693).
 * The subject token is the login's one secret: piped in with {@code --stdin}, typed into the browser form or a
 * masked prompt. The client is the provider's stored client record, else {@code --client-id}.
 *
 * <p>A third-party flow: PF4J instantiates it from {@code META-INF/extensions.idx} (so it is public, with a public
 * no-arg constructor), and it is built only on the SPI ({@link FlowContext}) and the OAuth library authsome ships in
 * {@code lib/} ({@link OAuthSupport}, Nimbus). As an {@link OAuthFlow} it refreshes (when the server issued a refresh
 * token) and revokes like every OAuth flow, with the client the tokens were issued to.
 */
public final class TokenExchangeFlow implements OAuthFlow {

  public TokenExchangeFlow() {
  }

  @Override
  public String id() {
    return "token_exchange";
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.OAUTH2);
  }

  @Override
  public String description() {
    return "OAuth 2.0 token exchange (RFC 8693): trade a token you have for one of this provider";
  }

  @Override
  public FlowResult login(FlowContext context) {
    ProviderDefinition provider = context.provider();
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.TOKEN));
    ClientConfig client = OAuthClients.stored(context, endpoints).orElseThrow(() -> AuthsomeException.usage(
        "the token exchange needs a client id for " + provider.name() + "; pass --client-id ID"));

    Map<String, Secret> input = context.input().collect(new InputRequest(provider.name(),
        provider.displayName() + " token exchange", provider.docsUrl(),
        List.of(InputField.secret("subject_token", "Token to exchange (subject token)", true))));
    Secret subject = input.get("subject_token");
    if (subject == null || subject.isEmpty()) {
      throw AuthsomeException.usage("no subject token to exchange for " + provider.name() + "; pipe it to --stdin");
    }

    TokenRequest.Builder request = client.tokenRequest(endpoints.require(Endpoint.TOKEN),
        new TokenExchangeGrant(new TypelessAccessToken(subject.reveal()), TokenTypeURI.ACCESS_TOKEN));
    if (!context.scopes().isEmpty()) {
      request.scope(new Scope(context.scopes().toArray(String[]::new)));
    }
    TokenSet tokens = support.tokenEndpoint().exchange(request.build(), ErrorCode.AUTHENTICATION_FAILED,
        "the token exchange");
    ConnectionRecord record = OAuthConnections.connected(context, id(), tokens, context.scopes(),
        OAuthConnections.account(support, endpoints, tokens), client);
    return new FlowResult(record, null);
  }
}
