package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the credential proxy needs to know about one provider: where its API lives, which of its URLs must never
 * carry an injected credential, and the placeholders an agent sees instead of real secrets.
 *
 * @param provider the provider name
 * @param connection the connection whose credential is injected (the provider's default); null when the provider has
 *     no usable connection (the route then only serves to tell the agent what to run)
 * @param apiUrls routing entries ({@code api_url}), with {@code {base_url}} resolved
 * @param excludedUrls the provider's OAuth endpoints (authorize, token, revocation, device, registration): requests
 *     to them are forwarded untouched even when an {@code api_url} covers them
 * @param placeholders environment variable name to the placeholder value the child process gets for it
 */
public record ProxyRoute(String provider, @Nullable String connection, List<String> apiUrls,
    List<String> excludedUrls, Map<String, String> placeholders) {

  /** The placeholder value a provider gets unless its definition names its own ({@code proxy_placeholder}). */
  public static final String DEFAULT_PLACEHOLDER = "authsome-proxy-managed";

  public ProxyRoute {
    requireNonNull(provider, "provider");
    apiUrls = List.copyOf(apiUrls);
    excludedUrls = List.copyOf(excludedUrls);
    placeholders = Map.copyOf(placeholders);
  }

  /** Whether a credential can be injected for this route. */
  public boolean connected() {
    return connection != null;
  }
}
