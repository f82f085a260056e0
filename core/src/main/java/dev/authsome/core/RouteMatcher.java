package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a request goes to a provider, from the provider's {@code api_url} entries (already resolved, see
 * {@link ProviderDefinitions#resolve}):
 * <ul>
 *   <li>a host ({@code api.github.com}, optionally {@code host:port}): that host, any path;</li>
 *   <li>an https URL ({@code https://gmail.googleapis.com/gmail/v1}): that host, paths equal to or under that prefix
 *       (at a segment boundary: {@code /gmail/v1x} does not match);</li>
 *   <li>{@code regex:PATTERN}: a host pattern, case-insensitive. One anchored to a literal domain suffix
 *       ({@code (^|\.)googleapis\.com$}) is searched in the host; any other must match the whole host, as the
 *       Python tool did.</li>
 * </ul>
 * Hosts compare case-insensitively, without a trailing dot. Entries still holding {@code {base_url}} or otherwise
 * unusable never match. When several providers match one request, the most {@link Route#specificity() specific}
 * route should win: a path prefix over a host, a host over a pattern.
 */
public final class RouteMatcher {
  private final List<Rule> rules;

  private RouteMatcher(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** A matcher over the given {@code api_url} entries. */
  public static RouteMatcher of(List<String> apiUrls) {
    List<Rule> rules = new ArrayList<>();
    for (String entry : requireNonNull(apiUrls, "apiUrls")) {
      Rule rule = Rule.parse(entry);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return new RouteMatcher(rules);
  }

  /** A matcher over a definition's routes. */
  public static RouteMatcher of(ProviderDefinition definition) {
    return of(definition.apiUrls());
  }

  /** Whether a request to {@code uri} goes to this provider. */
  public boolean matches(URI uri) {
    return match(uri).isPresent();
  }

  /** The most specific route matching {@code uri}, if any. */
  public Optional<Route> match(URI uri) {
    if (uri.getHost() == null) {
      return Optional.empty();
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    return match(uri.getHost(), port, uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** The most specific route matching a request to {@code host} on {@code port} for {@code path}, if any. */
  public Optional<Route> match(String host, int port, String path) {
    String h = normalise(host);
    String p = path.isEmpty() ? "/" : path;
    Route best = null;
    for (Rule rule : rules) {
      if (rule.matches(h, port, p) && (best == null || rule.route.specificity() > best.specificity())) {
        best = rule.route;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether any route covers {@code host} on {@code port}, whatever the path (a CONNECT names no path). */
  public boolean coversHost(String host, int port) {
    String h = normalise(host);
    for (Rule rule : rules) {
      if (rule.coversHost(h, port)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The DNS names the routes can match: each host, and the literal domain of each anchored pattern (which covers
   * its subdomains). A certificate authority constrained to these names can sign for every routed host and nothing
   * else. Legacy unanchored patterns have no such name and are left out.
   */
  public java.util.SortedSet<String> dnsNames() {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    for (Rule rule : rules) {
      if (rule.host != null) {
        names.add(rule.host);
      } else if (rule.domain != null) {
        names.add(rule.domain);
      }
    }
    return names;
  }

  private static String normalise(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * One {@code api_url} entry that matched.
   *
   * @param entry the entry as written
   * @param specificity higher is more specific: path prefixes (by length) over hosts over patterns
   */
  public record Route(String entry, int specificity) {
    public Route {
      requireNonNull(entry, "entry");
    }
  }

  /**
   * @param domain for a pattern anchored to a literal domain: that domain, which the host must equal or end in
   *     ({@code .} + domain) whatever the pattern says, so that a pattern that only looks anchored cannot match
   *     every host
   */
  private record Rule(Route route, @Nullable String host, int port, @Nullable String prefix,
      @Nullable Pattern pattern, @Nullable String domain) {

    static @Nullable Rule parse(String entry) {
      if (entry.contains(DefinitionValidator.BASE_URL_PLACEHOLDER)) {
        return null;
      }
      if (entry.startsWith("regex:")) {
        String regex = entry.substring("regex:".length());
        if (regex.contains("\\Q") || regex.contains("#") || regex.matches("(?s).*\\(\\?(?!:).*")) {
          return null; // inline flags, comments and quoting can disguise a pattern matching every host
        }
        try {
          Pattern pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
          return new Rule(new Route(entry, 0), null, -1, null, pattern,
              DefinitionValidator.anchoredDomain(regex));
        } catch (PatternSyntaxException e) {
          return null;
        }
      }
      if (entry.contains("://")) {
        URI uri;
        try {
          uri = new URI(entry);
        } catch (java.net.URISyntaxException e) {
          return null;
        }
        if (uri.getHost() == null) {
          return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        int port = uri.getPort();
        return new Rule(new Route(entry, path.isEmpty() ? 1000 : 2000 + path.length()), normalise(uri.getHost()),
            port, path.isEmpty() ? null : path, null, null);
      }
      String host = entry;
      int port = -1;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && entry.indexOf(':') == colon) {
        try {
          port = Integer.parseInt(entry.substring(colon + 1));
          host = entry.substring(0, colon);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      return new Rule(new Route(entry, 1000), normalise(host), port, null, null, null);
    }

    boolean coversHost(String requestHost, int requestPort) {
      if (pattern != null) {
        return matches(requestHost, requestPort, "/");
      }
      return requestHost.equals(host) && (port < 0 || port == requestPort);
    }

    boolean matches(String requestHost, int requestPort, String path) {
      if (pattern != null) {
        if (domain == null) {
          return pattern.matcher(requestHost).matches();
        }
        return (requestHost.equals(domain) || requestHost.endsWith("." + domain))
            && pattern.matcher(requestHost).find();
      }
      if (!requestHost.equals(host) || (port >= 0 && port != requestPort)) {
        return false;
      }
      return prefix == null || path.equals(prefix) || path.startsWith(prefix + "/");
    }
  }
}
