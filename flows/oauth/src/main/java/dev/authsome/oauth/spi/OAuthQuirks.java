package dev.authsome.oauth.spi;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.net.URI;
import java.util.Optional;

/**
 * Where a provider bends the OAuth standard, its provider plugin jar contributes an implementation of this interface
 * (listed in the jar's {@code META-INF/extensions.idx}; public, with a public no-arg constructor). Flows obtain it
 * with {@code FlowContext.providerExtension(OAuthQuirks.class)} and fall back to {@link #NONE}.
 *
 * <p>Requests are always built by the Nimbus SDK; a quirk may only adjust the built {@link HTTPRequest} (or, for
 * revocation, replace it) and pre-process the {@link HTTPResponse} before Nimbus parses it. Examples:
 * <ul>
 *   <li>GitHub answers the token endpoint form-encoded unless asked for JSON ({@code Accept: application/json}) and
 *       reports errors with HTTP 200: adjust the request's {@code Accept} header, and turn a 200 response carrying an
 *       {@code error} member into a 400 response before parsing.</li>
 *   <li>Slack nests user tokens under {@code authed_user}: lift them to the top level in
 *       {@link #preParseTokenResponse}; it revokes through {@code auth.revoke}: return that request from
 *       {@link #revocationRequest}.</li>
 *   <li>HubSpot revokes a refresh token with {@code DELETE /oauth/v1/refresh-tokens/TOKEN}.</li>
 * </ul>
 * Every method has a default that follows the standard, so an implementation overrides only what its provider needs.
 */
public interface OAuthQuirks {

  /** The standard behaviour: nothing adjusted. */
  OAuthQuirks NONE = new OAuthQuirks() {
  };

  /**
   * Adjusts a token request (authorization code, refresh, device code, client credentials) just before it is sent.
   * Returns the request to send: usually {@code request} itself after setting a header.
   */
  default HTTPRequest adjustTokenRequest(HTTPRequest request) {
    return request;
  }

  /**
   * Adjusts the authorization request URL just before the browser opens it (TikTok, for one, names the client
   * {@code client_key} instead of {@code client_id}). Returns the URL to open: {@code authorizationUrl} by default.
   */
  default URI adjustAuthorizationRequest(URI authorizationUrl) {
    return authorizationUrl;
  }

  /**
   * Adjusts an RFC 8628 device authorization request just before it is sent (GitHub, for one, answers it
   * form-encoded unless asked for JSON).
   */
  default HTTPRequest adjustDeviceAuthorizationRequest(HTTPRequest request) {
    return request;
  }

  /**
   * Pre-processes a token endpoint response before Nimbus parses it as an RFC 6749 token response. Returns the
   * response to parse: {@code response} itself, or a new {@link HTTPResponse} with a corrected status or body.
   */
  default HTTPResponse preParseTokenResponse(HTTPResponse response) {
    return response;
  }

  /**
   * The client id to use when neither a stored client nor {@code --client-id} names one, for providers whose
   * endpoints need no registered client (Postiz's device flow goes through its own auth server, which holds the
   * client). The login then asks for nothing and stores this id as the provider's client. Empty by default: the user
   * is asked for a client id.
   */
  default Optional<String> publicClientId() {
    return Optional.empty();
  }

  /**
   * The HTTP request that revokes {@code standard}'s token. By default the RFC 7009 request Nimbus builds from
   * {@code standard} (which carries the endpoint, the client authentication and the token). Return a different
   * request for providers with their own revocation call, or empty when the provider cannot revoke this kind of
   * token (the flow then skips it).
   */
  default Optional<HTTPRequest> revocationRequest(TokenRevocationRequest standard) {
    return Optional.of(standard.toHTTPRequest());
  }

  /**
   * Pre-processes a revocation response before it is judged: a success status means revoked, anything else is read
   * as an RFC 6749 error response ({@code error}, {@code error_description}). Providers that report failures with
   * HTTP 200 (Slack's {@code {"ok": false, "error": "invalid_auth"}}) return a response with an error status here.
   */
  default HTTPResponse preParseRevocationResponse(HTTPResponse response) {
    return response;
  }
}
