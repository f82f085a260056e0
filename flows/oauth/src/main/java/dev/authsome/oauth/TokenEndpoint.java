package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * Sends Nimbus token requests (authorization code, refresh, device code, client credentials) and parses the answers,
 * letting the provider's {@link OAuthQuirks} adjust the request and pre-parse the response.
 */
public final class TokenEndpoint {
  private final OAuthHttp http;
  private final OAuthQuirks quirks;

  public TokenEndpoint(OAuthHttp http, OAuthQuirks quirks) {
    this.http = requireNonNull(http, "http");
    this.quirks = requireNonNull(quirks, "quirks");
  }

  /** The answer of a token endpoint: tokens, or an OAuth error ({@code authorization_pending}, ...). */
  public sealed interface Outcome {
    /** Tokens were issued. */
    record Issued(TokenSet tokens) implements Outcome {
    }

    /** The server refused, with an RFC 6749 error. */
    record Refused(ErrorObject error) implements Outcome {
      /**
       * {@code error (description)}, for messages. Both come from the provider, which may echo what it was sent: an
       * error code is kept only when well formed (RFC 6749: lower case and '_'), and in the description every run of 20
       * or more token characters (what a token, a code or its base64 looks like; words are shorter) becomes "[...]",
       * control characters are dropped and the length is capped, so no secret and no terminal escape reaches the user.
       */
      public String describe() {
        String raw = error.getCode();
        String code = raw != null && raw.matches("[a-z_]{1,64}") ? raw : "HTTP " + error.getHTTPStatusCode();
        String description = error.getDescription();
        if (description == null || description.isBlank()) {
          return code;
        }
        String shown = description.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", " ")
            .replaceAll("[A-Za-z0-9+/=_.~%-]{20,}", "[...]").strip();
        if (shown.length() > 200) {
          shown = shown.substring(0, 200) + "...";
        }
        return code + " (" + shown + ")";
      }
    }
  }

  /**
   * Sends {@code request}. A transport failure or an unparseable answer is an {@link AuthsomeException} with
   * {@code code}.
   *
   * @param jsonBody send the parameters as a JSON object instead of a form ({@code device_token_request: json})
   */
  public Outcome send(TokenRequest request, ErrorCode code, boolean jsonBody) {
    HTTPRequest httpRequest = request.toHTTPRequest();
    if (jsonBody) {
      toJsonBody(httpRequest);
    }
    httpRequest = quirks.adjustTokenRequest(httpRequest);
    HTTPResponse response = quirks.preParseTokenResponse(http.send(httpRequest, code, "token endpoint"));
    try {
      TokenResponse parsed = TokenResponse.parse(response);
      if (parsed instanceof TokenErrorResponse error) {
        return new Outcome.Refused(error.getErrorObject());
      }
      return new Outcome.Issued(tokens(parsed.toSuccessResponse()));
    } catch (ParseException e) {
      throw new AuthsomeException(code, "the token endpoint " + request.getEndpointURI() + " answered HTTP "
          + response.getStatusCode() + " with something that is not an OAuth token response (" + e.getMessage()
          + ")", e);
    }
  }

  /** Sends {@code request}; a refusal is an {@link AuthsomeException} with {@code code} naming the error. */
  public TokenSet exchange(TokenRequest request, ErrorCode code, String what) {
    Outcome outcome = send(request, code, false);
    if (outcome instanceof Outcome.Refused refused) {
      throw new AuthsomeException(code, what + " was refused by " + request.getEndpointURI() + ": "
          + refused.describe());
    }
    return ((Outcome.Issued) outcome).tokens();
  }

  static TokenSet tokens(AccessTokenResponse response) {
    AccessToken access = response.getTokens().getAccessToken();
    Optional<String> refresh = Optional.ofNullable(response.getTokens().getRefreshToken()).map(t -> t.getValue());
    Object id = response.getCustomParameters().get("id_token");
    Optional<String> idToken = id instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    Optional<Duration> expiresIn = access.getLifetime() > 0
        ? Optional.of(Duration.ofSeconds(access.getLifetime())) : Optional.empty();
    List<String> scopes = access.getScope() == null ? List.of() : access.getScope().toStringList();
    String type = access.getType() == null ? "Bearer" : access.getType().getValue();
    return new TokenSet(access.getValue(), refresh, idToken, type, expiresIn, scopes);
  }

  /** Re-encodes a form-encoded request body as a JSON object with the same (single-valued) parameters. */
  static void toJsonBody(HTTPRequest request) {
    Map<String, List<String>> params = URLUtils.parseParameters(request.getBody());
    JSONObject json = new JSONObject();
    params.forEach((name, values) -> json.put(name, values.isEmpty() ? "" : values.get(0)));
    request.setEntityContentType(ContentType.APPLICATION_JSON);
    request.setBody(json.toJSONString());
  }
}
