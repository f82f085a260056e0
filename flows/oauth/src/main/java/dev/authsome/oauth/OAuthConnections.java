package dev.authsome.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionRecord.Account;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Connection records from tokens, and what every OAuth flow does with a stored connection: refresh it (refresh token
 * grant, keeping a rotated refresh token), re-obtain it (client credentials), revoke it (RFC 7009 with client
 * authentication), and find the account it belongs to (ID token, else userinfo). Refresh and revocation belong to
 * the grant, not to the flow that obtained it: {@link OAuthFlow} applies them to every OAuth flow.
 */
public final class OAuthConnections {
  private OAuthConnections() {
  }

  /**
   * A new connected record for the context's provider and connection, naming the client the tokens were issued to
   * (which refreshes and revokes them later).
   */
  public static ConnectionRecord connected(FlowContext context, String flowId, TokenSet tokens,
      List<String> requestedScopes, Account account, ClientConfig client) {
    Instant now = context.clock().instant();
    return new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, context.provider().name(), context.profile(),
        context.connectionName(), AuthType.OAUTH2, flowId, ConnectionStatus.CONNECTED, context.baseUrl().orElse(null),
        context.provider().apiUrls(), tokens.scopes().isEmpty() ? requestedScopes : tokens.scopes(),
        tokens.accessToken(), tokens.refreshToken().orElse(null), tokens.idToken().orElse(null), tokens.tokenType(),
        tokens.expiresIn().map(now::plus).orElse(null), now, null, account, Map.of(), client.clientId());
  }

  /**
   * A new connected record without a client reference: the engine fills in the client the flow returned or was
   * given. Prefer {@link #connected(FlowContext, String, TokenSet, List, Account, ClientConfig)}.
   */
  public static ConnectionRecord connected(FlowContext context, String flowId, TokenSet tokens,
      List<String> requestedScopes, Account account) {
    Instant now = context.clock().instant();
    return new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, context.provider().name(), context.profile(),
        context.connectionName(), AuthType.OAUTH2, flowId, ConnectionStatus.CONNECTED, context.baseUrl().orElse(null),
        context.provider().apiUrls(), tokens.scopes().isEmpty() ? requestedScopes : tokens.scopes(),
        tokens.accessToken(), tokens.refreshToken().orElse(null), tokens.idToken().orElse(null), tokens.tokenType(),
        tokens.expiresIn().map(now::plus).orElse(null), now, null, account, Map.of());
  }

  /**
   * {@code current} with new tokens; a refresh token or ID token the server did not rotate is kept. A response
   * without {@code expires_in} (optional in RFC 6749 section 5.1) does not make the new token immortal: it is taken to
   * live as long as the token it replaces did, and only a token that never had an expiry stays without one.
   */
  public static ConnectionRecord renewed(ConnectionRecord current, TokenSet tokens, Instant now) {
    Instant expiresAt = tokens.expiresIn().map(now::plus).orElseGet(() -> previousLifetime(current)
        .map(now::plus).orElse(null));
    ConnectionRecord fresh = current.toBuilder().scopes(tokens.scopes()).accessToken(tokens.accessToken())
        .refreshToken(tokens.refreshToken().orElse(null)).idToken(tokens.idToken().orElse(null))
        .tokenType(tokens.tokenType()).expiresAt(expiresAt).obtainedAt(now).build();
    return current.renewedWith(fresh, now); // the engine merges with the same rule
  }

  private static java.util.Optional<java.time.Duration> previousLifetime(ConnectionRecord r) {
    if (r.expiresAt() == null || r.obtainedAt() == null || !r.expiresAt().isAfter(r.obtainedAt())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(java.time.Duration.between(r.obtainedAt(), r.expiresAt()));
  }

  /**
   * Refreshes {@code current} with its refresh token (RFC 6749 section 6) as the client the tokens were issued to
   * ({@link FlowContext#client()}; a public client sends only its {@code client_id}), whatever flow obtained them.
   * Failures are
   * {@link ErrorCode#REFRESH_FAILED} errors telling the user to log in again.
   */
  public static ConnectionRecord refresh(FlowContext context, ConnectionRecord current) {
    String login = "run 'authsome login " + current.provider() + " --connection " + current.connectionName()
        + " --force'";
    if (current.refreshToken() == null) {
      throw new AuthsomeException(ErrorCode.REFRESH_FAILED, "no refresh token is stored for " + current.provider()
          + " (" + current.connectionName() + "); " + login);
    }
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(EnumSet.of(Endpoint.TOKEN));
    ClientConfig client = OAuthClients.stored(context, endpoints).orElseThrow(() -> new AuthsomeException(
        ErrorCode.REFRESH_FAILED, "no OAuth client is stored for " + current.provider() + "; " + login));
    TokenEndpoint.Outcome outcome = support.tokenEndpoint().send(client.tokenRequest(
            endpoints.require(Endpoint.TOKEN), new RefreshTokenGrant(new RefreshToken(current.refreshToken()))).build(),
        ErrorCode.REFRESH_FAILED, false);
    if (outcome instanceof TokenEndpoint.Outcome.Refused refused
        && "invalid_grant".equals(refused.error().getCode())) {
      // The grant is gone (revoked, expired, or its refresh token used up): no retry can help, only a new login.
      // TOKEN_EXPIRED tells the engine to mark the connection expired at once (AuthFlow#refresh).
      throw new AuthsomeException(ErrorCode.TOKEN_EXPIRED, "the provider rejected the refresh token of "
          + current.provider() + " (" + current.connectionName() + "): " + refused.describe() + "; the grant was "
          + "revoked or has expired; " + login);
    }
    if (outcome instanceof TokenEndpoint.Outcome.Refused refused) {
      throw new AuthsomeException(ErrorCode.REFRESH_FAILED, "the provider refused to refresh the token of "
          + current.provider() + " (" + current.connectionName() + "): " + refused.describe() + "; " + login);
    }
    return renewed(current, ((TokenEndpoint.Outcome.Issued) outcome).tokens(), context.clock().instant());
  }

  /**
   * Obtains a new token with the client credentials grant as the stored (confidential) client, requesting the
   * context's scopes.
   */
  public static TokenSet clientCredentials(OAuthSupport support, ServerEndpoints endpoints, ClientConfig client,
      List<String> scopes, ErrorCode code) {
    var builder = client.tokenRequest(endpoints.require(Endpoint.TOKEN), new ClientCredentialsGrant());
    if (!scopes.isEmpty()) {
      builder.scope(new Scope(scopes.toArray(String[]::new)));
    }
    return support.tokenEndpoint().exchange(builder.build(), code, "the client credentials request");
  }

  /**
   * Revokes the refresh token, then the access token, at the provider's revocation endpoint (RFC 7009) as the client
   * the tokens were issued to ({@link FlowContext#client()}), and says what happened. Never throws: a refusal (the
   * OAuth error code), an unreachable endpoint or a missing endpoint or client is an outcome, which the engine reports.
   * Nothing in the outcome holds a token or a request URL (a quirk may put the token in it): only the configured
   * endpoint.
   */
  public static Revocation revocation(FlowContext context, ConnectionRecord current) {
    Map<String, Token> tokens = new LinkedHashMap<>();
    if (current.refreshToken() != null) {
      tokens.put("refresh token", new RefreshToken(current.refreshToken()));
    }
    if (current.accessToken() != null) {
      tokens.put("access token", new TypelessAccessToken(current.accessToken()));
    }
    if (tokens.isEmpty()) {
      return Revocation.unsupported("the connection holds no token");
    }
    OAuthSupport support;
    ServerEndpoints endpoints;
    try {
      support = OAuthSupport.of(context);
      endpoints = support.endpoints(EnumSet.of(Endpoint.REVOCATION));
    } catch (AuthsomeException e) {
      return Revocation.failed("could not look up the revocation endpoint (" + e.getMessage() + ")");
    }
    Optional<URI> endpoint = endpoints.revocation();
    if (endpoint.isEmpty()) {
      return Revocation.unsupported(current.provider() + " has no revocation endpoint (oauth.revocation_url)");
    }
    String where = endpoint.get().toString();
    Optional<ClientConfig> client = OAuthClients.stored(context, endpoints);
    if (client.isEmpty()) {
      return Revocation.failed("no OAuth client is known for " + current.provider() + ", so the revocation request "
          + "cannot be authenticated");
    }
    boolean sent = false;
    for (Map.Entry<String, Token> entry : tokens.entrySet()) {
      TokenRevocationRequest standard = client.get().revocationRequest(endpoint.get(), entry.getValue());
      Optional<HTTPRequest> request;
      try {
        request = support.quirks().revocationRequest(standard);
      } catch (RuntimeException | LinkageError e) {
        return Revocation.failed("the provider plugin of " + current.provider() + " failed to build the revocation "
            + "request (" + e.getClass().getSimpleName() + ")");
      }
      if (request.isEmpty()) {
        continue;
      }
      HTTPResponse response;
      try {
        response = support.quirks().preParseRevocationResponse(support.http().send(request.get()));
      } catch (IOException e) {
        return Revocation.unreachable("could not reach " + where + " to revoke the " + entry.getKey() + " ("
            + scrub(String.valueOf(e.getMessage()), current) + ")", where);
      }
      if (!response.indicatesSuccess()) {
        // Whatever the provider answers may quote the token it was sent (some echo the request, in the description,
        // the body or even the error field, and not only verbatim: URL-encoded, base64): only a well-formed OAuth
        // error code is repeated, never the description or the body.
        String code = errorCode(errorOf(response), current);
        return Revocation.refused(code != null ? code : "HTTP " + response.getStatusCode(), where + " refused to "
            + "revoke the " + entry.getKey() + " (HTTP " + response.getStatusCode() + (code != null ? ", " + code : "")
            + ")", where);
      }
      sent = true;
    }
    return sent ? Revocation.revoked(where)
        : Revocation.unsupported(current.provider() + " cannot revoke these tokens");
  }

  /**
   * {@link #revocation} for callers of the older, void API ({@code AuthFlow.revoke}): throws an
   * {@link ErrorCode#UNEXPECTED} error carrying the reason when the tokens were not revoked.
   */
  public static void revoke(FlowContext context, ConnectionRecord current) {
    Revocation outcome = revocation(context, current);
    if (!outcome.revokedAtProvider()) {
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "the tokens of " + current.provider() + " ("
          + current.connectionName() + ") were not revoked: " + outcome.detail());
    }
  }

  private static ErrorObject errorOf(HTTPResponse response) {
    try {
      return ErrorObject.parse(response);
    } catch (RuntimeException e) {
      return new ErrorObject(null, null, response.getStatusCode());
    }
  }

  /** A well-formed OAuth error code (RFC 6749 section 5.2 names: lower case and {@code _}), never a token. */
  private static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /**
   * The provider's OAuth error code when it is one ({@code invalid_request}), else null: an error field holding
   * anything else (a token echoed back, text of the provider's own) is not repeated.
   */
  private static @Nullable String errorCode(ErrorObject error, ConnectionRecord current) {
    String code = error.getCode();
    if (code == null || !ERROR_CODE.matcher(code).matches() || !scrub(code, current).equals(code)) {
      return null;
    }
    return code;
  }

  /** The text without any of the record's tokens (a server might echo one in an error message). */
  private static String scrub(String text, ConnectionRecord current) {
    String out = text;
    for (String token : new String[] {current.accessToken(), current.refreshToken(), current.idToken()}) {
      if (token != null && !token.isEmpty()) {
        out = out.replace(token, "***");
      }
    }
    return out.length() > 300 ? out.substring(0, 300) + "..." : out;
  }

  /**
   * The account the tokens belong to: the ID token's {@code sub} and {@code email}/{@code preferred_username}/
   * {@code name}, else the userinfo endpoint's answer (OpenID {@code sub} or a plain API's {@code id}/{@code login}).
   * Unknown when neither is available; never fails the login.
   */
  public static Account account(OAuthSupport support, ServerEndpoints endpoints, TokenSet tokens) {
    Account fromToken = Account.UNKNOWN;
    if (tokens.idToken().isPresent()) {
      try {
        JWTClaimsSet claims = JWTParser.parse(tokens.idToken().get()).getJWTClaimsSet();
        fromToken = account(claims.getClaims());
      } catch (java.text.ParseException e) {
        // Not a JWT: try userinfo.
      }
    }
    if (fromToken.id() != null && fromToken.label() != null) {
      return fromToken;
    }
    // ID tokens often carry only "sub" (scope claims go to userinfo): ask userinfo for the rest.
    Account fromUserinfo = userinfo(support, endpoints, tokens);
    if (fromToken.id() == null) {
      return fromUserinfo;
    }
    boolean sameSubject = fromToken.id().equals(fromUserinfo.id());
    return new Account(fromToken.id(), sameSubject ? fromUserinfo.label() : null);
  }

  private static Account userinfo(OAuthSupport support, ServerEndpoints endpoints, TokenSet tokens) {
    Optional<URI> userinfo = endpoints.userinfo();
    if (userinfo.isEmpty()) {
      return Account.UNKNOWN;
    }
    try {
      HTTPRequest request = new UserInfoRequest(userinfo.get(), new BearerAccessToken(tokens.accessToken()))
          .toHTTPRequest();
      request.setAccept("application/json");
      HTTPResponse response = support.http().send(request);
      if (!response.indicatesSuccess()) {
        return Account.UNKNOWN;
      }
      return account(response.getBodyAsJSONObject());
    } catch (IOException | com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
      return Account.UNKNOWN;
    }
  }

  static Account account(Map<String, Object> claims) {
    String id = string(claims.get("sub"));
    if (id == null) {
      id = string(claims.get("id"));
    }
    String label = firstString(claims, "email", "preferred_username", "login", "name");
    return new Account(id, label);
  }

  private static @Nullable String firstString(Map<String, Object> claims, String... names) {
    for (String name : names) {
      String value = string(claims.get(name));
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String string(@Nullable Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }
}
