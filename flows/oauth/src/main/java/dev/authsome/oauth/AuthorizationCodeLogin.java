package dev.authsome.oauth;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization code grant with PKCE (S256) through the loopback redirect URI: builds the authorization request
 * (with {@code state}, a {@code nonce} when {@code openid} is requested, and the definition's
 * {@code authorize_params}; the scopes joined and named as the definition says, {@link ScopeParameter}), opens it in the browser, waits for the callback, and redeems the code.
 */
public final class AuthorizationCodeLogin {
  private AuthorizationCodeLogin() {
  }

  /**
   * Runs the grant and returns the tokens.
   *
   * @param server a started loopback server; its redirect URI is the one sent
   */
  public static TokenSet run(OAuthSupport support, ServerEndpoints endpoints, ClientConfig client,
      List<String> scopes, LoopbackServer server) {
    ProviderDefinition provider = support.context().provider();
    URI authorizationEndpoint = endpoints.require(Endpoint.AUTHORIZATION);
    URI tokenEndpoint = endpoints.require(Endpoint.TOKEN);
    URI redirectUri = server.redirectUri();
    State state = new State();
    CodeVerifier verifier = new CodeVerifier();
    boolean openid = scopes.contains("openid");
    Nonce nonce = openid ? new Nonce() : null;
    Map<String, String> extra = provider.oauthConfig().map(o -> o.authorizeParams()).orElse(Map.of());

    URI authorizationUrl;
    if (openid) {
      AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(ResponseType.CODE,
          new Scope(scopes.toArray(String[]::new)), client.id(), redirectUri)
          .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
          .endpointURI(authorizationEndpoint);
      extra.forEach((k, v) -> builder.customParameter(k, v));
      authorizationUrl = builder.build().toURI();
    } else {
      AuthorizationRequest.Builder builder = new AuthorizationRequest.Builder(ResponseType.CODE, client.id())
          .redirectionURI(redirectUri).state(state).codeChallenge(verifier, CodeChallengeMethod.S256)
          .endpointURI(authorizationEndpoint);
      if (!scopes.isEmpty()) {
        builder.scope(new Scope(scopes.toArray(String[]::new)));
      }
      extra.forEach((k, v) -> builder.customParameter(k, v));
      authorizationUrl = builder.build().toURI();
    }
    authorizationUrl = support.quirks().adjustAuthorizationRequest(
        ScopeParameter.rewrite(authorizationUrl, provider.oauthConfig(), scopes));

    LoopbackServer.PendingAuthorization pending = server.expectAuthorization(state, endpoints.issuer(),
        endpoints.issParameterSupported());
    BrowserOpener opener = support.opener();
    boolean opened = opener.open(opener.canOpen()
        ? "Opening the browser to authorize authsome with " + provider.displayName() + ". If it does not open, visit:"
        : "Open this URL in a browser to authorize authsome with " + provider.displayName() + ":", authorizationUrl);
    if (!opened) {
      // Over SSH the browser runs elsewhere, and its redirect to 127.0.0.1 must reach this machine.
      support.context().progress().println("The browser must be able to reach http://127.0.0.1:" + server.port()
          + " on this machine (on a remote machine: ssh -L " + server.port() + ":127.0.0.1:" + server.port()
          + " ..., or log in with --flow device_code).");
    }
    support.context().progress().println("Waiting for the authorization (up to "
        + support.settings().timeout().toSeconds() + " s; Ctrl-C cancels)...");
    support.context().progress().flush();
    AuthorizationSuccessResponse response = pending.await(support.settings().timeout());

    TokenSet tokens = support.tokenEndpoint().exchange(client.tokenRequest(tokenEndpoint,
            new AuthorizationCodeGrant(response.getAuthorizationCode(), redirectUri, verifier)).build(),
        ErrorCode.AUTHENTICATION_FAILED, "the authorization code exchange");
    if (nonce != null && tokens.idToken().isPresent()) {
      checkNonce(tokens.idToken().get(), nonce);
    }
    return tokens;
  }

  /**
   * The ID token came straight from the token endpoint over the connection authsome opened (OpenID Connect Core
   * 3.1.3.7 allows TLS server authentication instead of the signature there); its nonce still ties it to this login.
   */
  static void checkNonce(String idToken, Nonce expected) {
    Optional<Object> nonce;
    try {
      nonce = Optional.ofNullable(JWTParser.parse(idToken).getJWTClaimsSet().getClaim("nonce"));
    } catch (java.text.ParseException e) {
      throw AuthsomeException.authenticationFailed("the provider returned an ID token that is not a JWT; run the "
          + "login again");
    }
    if (nonce.isEmpty()) {
      // A nonce was sent, so the ID token must carry it (OpenID Connect Core 3.1.3.7, step 11); one without it is
      // not tied to this login and may be replayed from another.
      throw AuthsomeException.authenticationFailed("the provider's ID token carries no nonce although this login "
          + "sent one, so it cannot be tied to this login; run the login again, or report it to the provider");
    }
    if (!expected.getValue().equals(nonce.get())) {
      throw AuthsomeException.authenticationFailed("the ID token's nonce does not match this login (replayed "
          + "token?); run the login again");
    }
  }
}
