package dev.authsome.core.internal;

import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** {@code {base_url}} templating: the effective base is {@code --base-url}, else the client record's, else the definition's. */
final class BaseUrls {
  private BaseUrls() {
  }

  /** Lower-cases scheme and host, drops a trailing slash, so equal bases compare equal. */
  static @Nullable String normalise(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    int scheme = u.indexOf("://");
    if (scheme > 0) {
      int hostEnd = u.indexOf('/', scheme + 3);
      hostEnd = hostEnd < 0 ? u.length() : hostEnd;
      u = u.substring(0, hostEnd).toLowerCase(Locale.ROOT) + u.substring(hostEnd);
    }
    return u;
  }

  static ProviderDefinition resolve(ProviderDefinition d, @Nullable String baseUrl) {
    String given = normalise(baseUrl);
    String base = given == null && d.oauth() != null ? normalise(d.oauth().baseUrl()) : given;
    if (base == null) {
      return d;
    }
    OAuthConfig o = d.oauth();
    OAuthConfig resolved = o == null ? null : new OAuthConfig(sub(o.authorizationUrl(), base),
        sub(o.tokenUrl(), base), sub(o.revocationUrl(), base), sub(o.deviceAuthorizationUrl(), base),
        sub(o.registrationEndpoint(), base), sub(o.userinfoUrl(), base), sub(o.issuer(), base),
        o.deviceTokenRequest(), o.scopes(), base, o.pkce(), o.supportsDeviceFlow(), o.supportsDcr(),
        o.tokenEndpointAuthMethod(), o.authorizeParams(), o.extra());
    List<String> apiUrls = d.apiUrls().stream().map(u -> sub(u, base)).toList();
    return new ProviderDefinition(d.schemaVersion(), d.name(), d.displayName(), d.description(), d.logo(),
        d.docsUrl(), d.authType(), d.flow(), resolved, d.apiKey(), d.export(), apiUrls, d.metadata(), d.extra());
  }

  private static @Nullable String sub(@Nullable String template, String base) {
    return template == null ? null : template.replace("{base_url}", base);
  }
}
