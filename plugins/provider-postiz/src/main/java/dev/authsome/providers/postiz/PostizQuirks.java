package dev.authsome.providers.postiz;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.util.Optional;
import net.minidev.json.JSONObject;

/**
 * Postiz's CLI sign-in (https://docs.postiz.com/cli/authentication) is a device flow mediated by Postiz's own auth
 * server ({@code cli-auth.postiz.com}, source at https://github.com/gitroomhq/postiz-agent/blob/main/server/index.ts):
 * the server holds the OAuth client, so the CLI sends no client id, and it polls with a JSON body, which the
 * definition's {@code device_token_request: json} already gives the device_code flow. What remains:
 * <ul>
 *   <li>no client to register or enter: {@link #publicClientId()} supplies a placeholder id the server ignores;</li>
 *   <li>the token answer is {@code {"access_token", "api_url", "organization_id"}} without the {@code token_type}
 *       RFC 6749 requires: it is a bearer token, so {@code Bearer} is added before parsing.</li>
 * </ul>
 */
public final class PostizQuirks implements OAuthQuirks {

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public PostizQuirks() {
  }

  @Override
  public Optional<String> publicClientId() {
    return Optional.of("authsome");
  }

  @Override
  public HTTPResponse preParseTokenResponse(HTTPResponse response) {
    if (response.getStatusCode() != HTTPResponse.SC_OK || response.getBody() == null) {
      return response;
    }
    JSONObject body;
    try {
      body = JSONObjectUtils.parse(response.getBody());
    } catch (ParseException e) {
      return response;
    }
    if (!body.containsKey("access_token") || body.containsKey("token_type")) {
      return response;
    }
    body.put("token_type", "Bearer");
    HTTPResponse fixed = new HTTPResponse(HTTPResponse.SC_OK);
    fixed.setEntityContentType(ContentType.APPLICATION_JSON);
    fixed.setBody(body.toJSONString());
    return fixed;
  }
}
