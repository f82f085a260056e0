package dev.authsome.oauth;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scopes as the provider wants them in a request. Nimbus joins scopes with spaces in a {@code scope} parameter, as RFC
 * 6749 says; some providers want them comma-joined ({@code oauth.scope_separator: ','}, Slack and TikTok) or in
 * another parameter ({@code oauth.scope_parameter: user_scope}, Slack's user tokens). The request is built by Nimbus
 * first and only that one parameter is replaced, so the standard case is left byte for byte as Nimbus made it.
 */
public final class ScopeParameter {
  private ScopeParameter() {
  }

  /** Whether {@code oauth} asks for anything but a space-joined {@code scope} parameter. */
  public static boolean nonStandard(Optional<OAuthConfig> oauth) {
    return oauth.map(o -> !o.joinScopes(List.of("a", "b")).equals("a b") || !o.scopeParameter().equals("scope"))
        .orElse(false);
  }

  /**
   * {@code url} with its {@code scope} query parameter replaced by the definition's parameter carrying
   * {@code scopes} joined with its separator; {@code url} itself when the definition asks for the standard form.
   */
  public static URI rewrite(URI url, Optional<OAuthConfig> oauth, List<String> scopes) {
    if (!nonStandard(oauth)) {
      return url;
    }
    OAuthConfig o = oauth.orElseThrow();
    Map<String, List<String>> params = new LinkedHashMap<>(URLUtils.parseParameters(url.getRawQuery()));
    params.remove("scope");
    if (!scopes.isEmpty()) {
      params.put(o.scopeParameter(), List.of(o.joinScopes(scopes)));
    }
    // the authorization URL has no fragment (RFC 6749 3.1), so everything before '?' is kept as it was
    String text = url.toString();
    int query = text.indexOf('?');
    return URI.create((query < 0 ? text : text.substring(0, query)) + "?" + URLUtils.serializeParameters(params));
  }
}
