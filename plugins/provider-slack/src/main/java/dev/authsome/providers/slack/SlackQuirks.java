package dev.authsome.providers.slack;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.util.List;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * Slack's OAuth v2 ({@code oauth.v2.access}, https://api.slack.com/authentication/oauth-v2, with token rotation as in
 * https://api.slack.com/authentication/rotation):
 * <ul>
 *   <li>a user token (requested with {@code user_scope}) comes nested under {@code authed_user}
 *       ({@code access_token}, {@code refresh_token}, {@code scope}, {@code expires_in}); authsome acts for the user,
 *       so those are lifted to the top, replacing the bot token Slack puts there;</li>
 *   <li>{@code token_type} is {@code bot} or {@code user} rather than {@code Bearer}, and scopes are
 *       comma-separated;</li>
 *   <li>failures are {@code {"ok": false, "error": "invalid_code"}} with HTTP 200;</li>
 *   <li>revocation is the Web API method {@code auth.revoke} (https://api.slack.com/methods/auth.revoke) with the
 *       token as a bearer credential, not RFC 7009; it revokes access tokens (a refresh token is not sent).</li>
 * </ul>
 */
public final class SlackQuirks implements OAuthQuirks {
  private static final List<String> USER_TOKEN_FIELDS = List.of("access_token", "refresh_token", "scope",
      "expires_in");

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public SlackQuirks() {
  }

  @Override
  public HTTPResponse preParseTokenResponse(HTTPResponse response) {
    JSONObject body;
    try {
      body = JSONObjectUtils.parse(response.getBody() == null ? "" : response.getBody());
    } catch (ParseException e) {
      return response;
    }
    int status = response.getStatusCode();
    if (Boolean.FALSE.equals(body.get("ok"))) {
      // {"ok": false, "error": "invalid_code"} is an RFC 6749 error response in all but the status
      return json(status == HTTPResponse.SC_OK ? HTTPResponse.SC_BAD_REQUEST : status, body);
    }
    if (body.get("authed_user") instanceof JSONObject user && user.get("access_token") instanceof String) {
      for (String field : USER_TOKEN_FIELDS) {
        body.remove(field);
        if (user.containsKey(field)) {
          body.put(field, user.get(field));
        }
      }
    }
    if (body.containsKey("access_token")) {
      body.put("token_type", "Bearer");
    }
    if (body.get("scope") instanceof String scope) {
      body.put("scope", String.join(" ", scope.trim().split("[,\\s]+")));
    }
    return json(status, body);
  }

  /** {@code auth.revoke} reports failures ({@code invalid_auth}, ...) as {@code ok: false} with HTTP 200. */
  @Override
  public HTTPResponse preParseRevocationResponse(HTTPResponse response) {
    try {
      JSONObject body = JSONObjectUtils.parse(response.getBody() == null ? "" : response.getBody());
      if (Boolean.FALSE.equals(body.get("ok")) && response.getStatusCode() == HTTPResponse.SC_OK) {
        return json(HTTPResponse.SC_BAD_REQUEST, body);
      }
    } catch (ParseException e) {
      // not JSON: judged by its status
    }
    return response;
  }

  @Override
  public Optional<HTTPRequest> revocationRequest(TokenRevocationRequest standard) {
    if (standard.getToken() instanceof RefreshToken) {
      return Optional.empty();
    }
    HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, standard.getEndpointURI());
    request.setAuthorization("Bearer " + standard.getToken().getValue());
    request.setEntityContentType(ContentType.APPLICATION_URLENCODED);
    request.setBody("");
    return Optional.of(request);
  }

  private static HTTPResponse json(int status, JSONObject body) {
    HTTPResponse fixed = new HTTPResponse(status);
    fixed.setEntityContentType(ContentType.APPLICATION_JSON);
    fixed.setBody(body.toJSONString());
    return fixed;
  }
}
