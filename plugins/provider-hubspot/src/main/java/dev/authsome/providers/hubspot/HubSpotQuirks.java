package dev.authsome.providers.hubspot;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * HubSpot revokes a refresh token with {@code DELETE /oauth/v1/refresh-tokens/TOKEN} (HTTP 204), as documented at
 * https://developers.hubspot.com/docs/api/oauth/tokens ("Delete a refresh token"), not with an RFC 7009 POST; the
 * definition's {@code revocation_url} is the {@code /oauth/v1/refresh-tokens} collection. Access tokens cannot be
 * revoked (they expire after 30 minutes), so none is sent. Deleting the refresh token ends the app's access.
 */
public final class HubSpotQuirks implements OAuthQuirks {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public HubSpotQuirks() {
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
