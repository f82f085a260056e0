package dev.authsome.oauth;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The proxy that authsome's own outbound calls (token, discovery, registration, revocation) take, decided the way
 * curl decides it: {@code HTTPS_PROXY} for https URLs, {@code HTTP_PROXY} for http URLs, none for hosts matched by
 * {@code NO_PROXY} (comma-separated host names or domain suffixes, a leading dot optional, {@code *} for all).
 *
 * @param httpsProxy proxy for https URLs
 * @param httpProxy proxy for http URLs
 * @param noProxy lower-cased {@code NO_PROXY} entries
 */
public record EnvironmentProxy(Optional<URI> httpsProxy, Optional<URI> httpProxy, List<String> noProxy) {

  /** No proxy at all. */
  public static final EnvironmentProxy DIRECT = new EnvironmentProxy(Optional.empty(), Optional.empty(), List.of());

  public EnvironmentProxy {
    noProxy = List.copyOf(noProxy);
  }

  /** Parses the three variables; blank or absent values mean no proxy. */
  public static EnvironmentProxy from(@Nullable String httpsProxy, @Nullable String httpProxy,
      @Nullable String noProxy) {
    List<String> exclusions = new ArrayList<>();
    if (noProxy != null) {
      for (String entry : noProxy.split(",")) {
        String e = entry.trim().toLowerCase(Locale.ROOT);
        if (!e.isEmpty()) {
          exclusions.add(e);
        }
      }
    }
    return new EnvironmentProxy(parse(httpsProxy), parse(httpProxy), exclusions);
  }

  private static Optional<URI> parse(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    // curl accepts "host:port" without a scheme and treats it as an HTTP proxy.
    URI uri = URI.create(v.contains("://") ? v : "http://" + v);
    if (uri.getHost() == null) {
      return Optional.empty();
    }
    return Optional.of(uri);
  }

  /** The proxy for {@code target}: {@link Proxy#NO_PROXY} when none applies. */
  public Proxy select(URI target) {
    String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
    if (excluded(host)) {
      return Proxy.NO_PROXY;
    }
    Optional<URI> proxy = "https".equalsIgnoreCase(target.getScheme()) ? httpsProxy : httpProxy;
    return proxy.map(p -> new Proxy(Proxy.Type.HTTP,
            InetSocketAddress.createUnresolved(p.getHost(), p.getPort() > 0 ? p.getPort() : 80)))
        .orElse(Proxy.NO_PROXY);
  }

  private boolean excluded(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    for (String entry : noProxy) {
      if (entry.equals("*")) {
        return true;
      }
      String e = entry.startsWith(".") ? entry.substring(1) : entry;
      int colon = e.lastIndexOf(':');
      if (colon > 0 && !e.contains("]") && e.indexOf(':') == colon) {
        e = e.substring(0, colon); // "host:port" entries: the port is not compared
      }
      if (bare.equals(e) || bare.endsWith("." + e)) {
        return true;
      }
    }
    return false;
  }
}
