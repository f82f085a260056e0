package dev.authsome.providers.github;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;

/**
 * GitHub's OAuth endpoints (OAuth apps and GitHub Apps, github.com and GitHub Enterprise Server alike), as documented
 * at https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps:
 * <ul>
 *   <li>the token endpoint ({@code /login/oauth/access_token}) and the device endpoint ({@code /login/device/code})
 *       answer {@code application/x-www-form-urlencoded} unless the request says {@code Accept: application/json};</li>
 *   <li>errors ({@code bad_verification_code}, {@code incorrect_client_credentials}, and in the device flow
 *       {@code authorization_pending}, {@code slow_down}, {@code expired_token}, {@code access_denied}) come back with
 *       HTTP 200 instead of RFC 6749's 400.</li>
 * </ul>
 * This quirk asks for JSON, and before Nimbus parses a token response turns a 200 that carries {@code error} into the
 * 400 it should have been (so the flows see a proper OAuth error), GitHub's comma-separated {@code scope} into the
 * space-separated list RFC 6749 defines, and a form-encoded body that slipped through into the equivalent JSON.
 */
public final class GitHubQuirks implements OAuthQuirks {
  /** Exactly what GitHub documents; a charset parameter is not needed. */
  private static final String JSON = "application/json";

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public GitHubQuirks() {
  }

  @Override
  public HTTPRequest adjustTokenRequest(HTTPRequest request) {
    request.setAccept(JSON);
    return request;
  }

  @Override
  public HTTPRequest adjustDeviceAuthorizationRequest(HTTPRequest request) {
    request.setAccept(JSON);
    return request;
  }

  @Override
  public HTTPResponse preParseTokenResponse(HTTPResponse response) {
    JSONObject body = body(response);
    if (body == null) {
      return response;
    }
    boolean changed = !isJson(response);
    int status = response.getStatusCode();
    if (status == HTTPResponse.SC_OK && body.containsKey("error")) {
      status = HTTPResponse.SC_BAD_REQUEST;
      changed = true;
    }
    // GitHub lists granted scopes comma-separated ("repo,gist"); RFC 6749 separates them with spaces
    if (body.get("scope") instanceof String scope && scope.contains(",")) {
      body.put("scope", String.join(" ", scope.trim().split("[,\\s]+")));
      changed = true;
    }
    return changed ? withJson(status, body) : response;
  }

  /** The body as JSON, whether GitHub sent JSON or a form; null when it is neither. */
  private static JSONObject body(HTTPResponse response) {
    String text = response.getBody();
    if (text == null || text.isBlank()) {
      return null;
    }
    if (isJson(response) || text.stripLeading().startsWith("{")) {
      try {
        return JSONObjectUtils.parse(text);
      } catch (ParseException e) {
        return null;
      }
    }
    if (response.getEntityContentType() != null
        && response.getEntityContentType().matches(ContentType.APPLICATION_URLENCODED)) {
      JSONObject json = new JSONObject();
      for (Map.Entry<String, List<String>> param : URLUtils.parseParameters(text).entrySet()) {
        if (!param.getValue().isEmpty()) {
          json.put(param.getKey(), param.getValue().get(0));
        }
      }
      return json;
    }
    return null;
  }

  private static boolean isJson(HTTPResponse response) {
    return response.getEntityContentType() != null
        && response.getEntityContentType().matches(ContentType.APPLICATION_JSON);
  }

  private static HTTPResponse withJson(int status, JSONObject body) {
    HTTPResponse fixed = new HTTPResponse(status);
    fixed.setEntityContentType(ContentType.APPLICATION_JSON);
    fixed.setBody(body.toJSONString());
    return fixed;
  }
}
