package dev.authsome.providers.tiktok;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TikTok's Login Kit (https://developers.tiktok.com/doc/oauth-user-access-token-management) is OAuth 2.0 with the
 * client id named {@code client_key}: in the authorization URL, and in the form body of the token and revocation
 * requests, next to {@code client_secret}. Requests are built by Nimbus as usual; this renames the parameter, and
 * moves HTTP Basic client credentials into the body should a definition ask for {@code client_secret_basic}, since
 * TikTok reads them only from the body.
 */
public final class TikTokQuirks implements OAuthQuirks {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public TikTokQuirks() {
  }

  @Override
  public URI adjustAuthorizationRequest(URI authorizationUrl) {
    Map<String, List<String>> params = new LinkedHashMap<>(URLUtils.parseParameters(authorizationUrl.getRawQuery()));
    if (!rename(params)) {
      return authorizationUrl;
    }
    String text = authorizationUrl.toString();
    int query = text.indexOf('?');
    return URI.create(text.substring(0, query) + "?" + URLUtils.serializeParameters(params));
  }

  @Override
  public HTTPRequest adjustTokenRequest(HTTPRequest request) {
    return clientKeyInBody(request);
  }

  @Override
  public Optional<HTTPRequest> revocationRequest(TokenRevocationRequest standard) {
    return Optional.of(clientKeyInBody(standard.toHTTPRequest()));
  }

  /** The request with {@code client_key} (and the secret) in its form body instead of {@code client_id}/Basic. */
  static HTTPRequest clientKeyInBody(HTTPRequest request) {
    Map<String, List<String>> params = new LinkedHashMap<>(URLUtils.parseParameters(request.getBody()));
    String authorization = request.getAuthorization();
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
          StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      if (colon > 0) {
        params.put("client_key", List.of(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8)));
        params.put("client_secret", List.of(URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8)));
        request.setAuthorization(null);
      }
    }
    rename(params);
    request.setBody(URLUtils.serializeParameters(params));
    return request;
  }

  /** Renames {@code client_id} to {@code client_key} in place; false when there was none. */
  private static boolean rename(Map<String, List<String>> params) {
    List<String> id = params.remove("client_id");
    if (id == null) {
      return false;
    }
    params.put("client_key", id);
    return true;
  }
}
