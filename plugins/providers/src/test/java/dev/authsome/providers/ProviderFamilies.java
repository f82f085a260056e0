package dev.authsome.providers;

import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a provider family shares, each kept here once. A definition belongs to a family by its token endpoint's
 * host, not by its name, so a new entry of the family is held to the rule however it is called.
 */
final class ProviderFamilies {
  private ProviderFamilies() {
  }

  /**
   * The scopes Google allows in the device flow
   * (https://developers.google.com/identity/protocols/oauth2/limited-input-device#allowedscopes): sign-in, Drive's
   * per-file and app-data scopes, and YouTube.
   */
  static final Set<String> GOOGLE_DEVICE_SCOPES = Set.of("openid", "email", "profile",
      "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile",
      "https://www.googleapis.com/auth/drive.appdata", "https://www.googleapis.com/auth/drive.file",
      "https://www.googleapis.com/auth/youtube", "https://www.googleapis.com/auth/youtube.readonly");

  /** Scopes Microsoft's identity platform lets a request add to a resource's {@code .default} scope. */
  static final Set<String> MICROSOFT_OIDC_SCOPES = Set.of("openid", "profile", "email", "offline_access");

  static boolean isGoogle(ProviderDefinition d) {
    return tokenHost(d).map(h -> h.equals("oauth2.googleapis.com") || h.equals("accounts.google.com")).orElse(false);
  }

  static boolean isMicrosoft(ProviderDefinition d) {
    return tokenHost(d).map(h -> h.equals("login.microsoftonline.com")).orElse(false);
  }

  /** Atlassian's cloud authorization servers (commercial and government); not Data Center, which each site runs. */
  static boolean isAtlassianCloud(ProviderDefinition d) {
    return tokenHost(d).map(h -> h.equals("auth.atlassian.com") || h.endsWith(".atlassian-us-gov-mod.com")
        || h.endsWith(".atlassian-gov.com")).orElse(false);
  }

  /** What is wrong with {@code d} under its family's rules; empty when nothing is (or it has no family). */
  static List<String> problems(ProviderDefinition d) {
    List<String> problems = new ArrayList<>();
    OAuthConfig o = d.oauth();
    if (o == null) {
      return problems;
    }
    if (isGoogle(d) && (o.supportsDeviceFlow() || d.flow().equals("device_code"))) {
      for (String scope : o.deviceScopes()) {
        if (!GOOGLE_DEVICE_SCOPES.contains(scope)) {
          problems.add("Google does not allow '" + scope + "' in the device flow: limit oauth.device_scopes to "
              + "the allowed scopes or turn the device flow off");
        }
      }
    }
    if (isMicrosoft(d) && o.scopes().stream().anyMatch(s -> s.endsWith("/.default") || s.equals(".default"))) {
      for (String scope : o.scopes()) {
        if (!scope.endsWith(".default") && !MICROSOFT_OIDC_SCOPES.contains(scope)) {
          problems.add("Microsoft refuses '" + scope + "' next to a .default scope (AADSTS70011)");
        }
      }
    }
    if (isAtlassianCloud(d) && (!o.clientSecretRequired() || "none".equals(o.tokenEndpointAuthMethod()))) {
      problems.add("Atlassian wants the client secret at the token step even with PKCE: set "
          + "oauth.client_secret_required: true and a secret-sending token_endpoint_auth_method");
    }
    return problems;
  }

  private static Optional<String> tokenHost(ProviderDefinition d) {
    return Optional.ofNullable(d.oauth()).map(OAuthConfig::tokenUrl).filter(u -> u.startsWith("https://"))
        .map(u -> URI.create(u).getHost()).map(h -> h.toLowerCase(Locale.ROOT));
  }
}
