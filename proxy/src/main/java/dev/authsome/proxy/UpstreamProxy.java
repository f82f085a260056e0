package dev.authsome.proxy;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The parent environment's own proxy (a corporate proxy), which the proxy's upstream leg goes through, decided the
 * way curl decides it: {@code HTTPS_PROXY} for https targets, {@code HTTP_PROXY} for http ones, none for hosts
 * matched by {@code NO_PROXY}. Read before {@code run} replaces those variables for the child.
 *
 * @param https proxy for https targets ({@code http://[user:pass@]host:port})
 * @param http proxy for http targets
 * @param noProxy lower-cased {@code NO_PROXY} entries
 */
public record UpstreamProxy(Optional<URI> https, Optional<URI> http, List<String> noProxy) {

  public static final UpstreamProxy NONE = new UpstreamProxy(Optional.empty(), Optional.empty(), List.of());

  public UpstreamProxy {
    requireNonNull(https, "https");
    requireNonNull(http, "http");
    noProxy = List.copyOf(noProxy);
  }

  /** From {@code HTTPS_PROXY}/{@code https_proxy}, {@code HTTP_PROXY}/{@code http_proxy}, {@code NO_PROXY}. */
  public static UpstreamProxy fromEnvironment(Map<String, String> env) {
    List<String> exclusions = new ArrayList<>();
    String no = first(env, "NO_PROXY", "no_proxy");
    if (no != null) {
      for (String entry : no.split(",")) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        if (!e.isEmpty()) {
          exclusions.add(e);
        }
      }
    }
    return new UpstreamProxy(parse(first(env, "HTTPS_PROXY", "https_proxy")),
        parse(first(env, "HTTP_PROXY", "http_proxy")), exclusions);
  }

  private static @Nullable String first(Map<String, String> env, String upper, String lower) {
    String v = env.get(upper);
    return v != null && !v.isBlank() ? v : env.get(lower);
  }

  private static Optional<URI> parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      URI uri = URI.create(v.contains("://") ? v : "http://" + v);
      if (uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
        throw new IllegalArgumentException("not an http:// proxy");
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException e) {
      // the value may hold a password: never echo it
      throw AuthsomeException.usage("The upstream proxy in HTTPS_PROXY/HTTP_PROXY is not an http://host:port URL;"
          + " correct or unset it.");
    }
  }

  /** The proxy to reach {@code host} through, if any. */
  public Optional<URI> select(String host, boolean tls) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return Optional.empty();
      }
      String e = entry.startsWith(".") ? entry.substring(1) : entry;
      int colon = e.lastIndexOf(':');
      if (colon > 0 && e.indexOf(':') == colon) {
        e = e.substring(0, colon);
      }
      if (h.equals(e) || h.endsWith("." + e)) {
        return Optional.empty();
      }
    }
    return tls ? https : http;
  }

  /** The {@code Proxy-Authorization} value for a proxy URL with user info, if it has any. */
  public static Optional<String> authorization(URI proxy) {
    String info = proxy.getRawUserInfo();
    if (info == null || info.isEmpty()) {
      return Optional.empty();
    }
    String decoded = java.net.URLDecoder.decode(info, StandardCharsets.UTF_8);
    return Optional.of("Basic " + Base64.getEncoder().encodeToString(decoded.getBytes(StandardCharsets.UTF_8)));
  }
}
