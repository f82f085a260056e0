package dev.authsome.providers.hubspot;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * HubSpot revokes a refresh token with {@code DELETE /oauth/v1/refresh-tokens/TOKEN} (HTTP 204), as documented at
 * https://developers.hubspot.com/docs/api/oauth/tokens ("Delete a refresh token"), not with an RFC 7009 POST; the
 * definition's {@code revocation_url} is the {@code /oauth/v1/refresh-tokens} collection. Access tokens cannot be
 * revoked (they expire after 30 minutes), so none is sent. Deleting the refresh token ends the app's access.
 *
 * <p>Its token endpoint reports failures in its own shape, {@code {"status": "BAD_REFRESH_TOKEN", "message": "missing
 * or unknown refresh token", "correlationId": ...}}, without RFC 6749's {@code error}: those become
 * {@code invalid_grant} / {@code invalid_client} / {@code invalid_request} errors carrying HubSpot's message and
 * status, so that a failed refresh says why.
 */
public final class HubSpotQuirks implements OAuthQuirks {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public HubSpotQuirks() {
  }

  @Override
  public HTTPResponse preParseTokenResponse(HTTPResponse response) {
    if (response.indicatesSuccess() || response.getBody() == null) {
      return response;
    }
    JSONObject body;
    try {
      body = JSONObjectUtils.parse(response.getBody());
    } catch (ParseException e) {
      return response;
    }
    if (body.containsKey("error") || !(body.get("status") instanceof String status)) {
      return response;
    }
    String upper = status.toUpperCase(Locale.ROOT);
    String error = upper.contains("CLIENT") ? "invalid_client"
        : upper.contains("REFRESH_TOKEN") || upper.contains("AUTH_CODE") || upper.contains("REDIRECT_URI")
            ? "invalid_grant" : "invalid_request";
    Object message = body.get("message");
    body.put("error", error);
    body.put("error_description", (message instanceof String m ? m + " " : "") + "(HubSpot " + status + ")");
    HTTPResponse fixed = new HTTPResponse(response.getStatusCode());
    fixed.setEntityContentType(ContentType.APPLICATION_JSON);
    fixed.setBody(body.toJSONString());
    return fixed;
  }

  @Override
  public Optional<HTTPRequest> revocationRequest(TokenRevocationRequest standard) {
    if (!(standard.getToken() instanceof RefreshToken token)) {
      return Optional.empty();
    }
    String collection = standard.getEndpointURI().toString();
    while (collection.endsWith("/")) {
      collection = collection.substring(0, collection.length() - 1);
    }
    URI uri = URI.create(collection + "/" + URLEncoder.encode(token.getValue(), StandardCharsets.UTF_8));
    return Optional.of(new HTTPRequest(HTTPRequest.Method.DELETE, uri));
  }
}
