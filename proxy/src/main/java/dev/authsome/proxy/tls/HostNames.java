package dev.authsome.proxy.tls;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What counts as a DNS name the CA may carry or sign for: never an IP literal, never a loopback name. */
final class HostNames {
  // labels of letters, digits, '-' and '_' (some real API hosts use '_'), not starting or ending with '-'
  private static final Pattern DNS_NAME = Pattern.compile(
      "(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*");
  // a last label of digits or hex is how IPv4 literals (also 127.1, 0x7f.1) are written; no TLD looks like that
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

  private HostNames() {}

  /** The lower-cased name without a trailing dot, when it is a DNS name that is neither an IP nor loopback. */
  static Optional<String> normalise(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (!DNS_NAME.matcher(h).matches()) {
      return Optional.empty(); // IPv6 literals (':' and '[') and anything odd end here
    }
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (NUMERIC_LABEL.matcher(last).matches() || isLoopbackName(h)) {
      return Optional.empty();
    }
    return Optional.of(h);
  }

  private static boolean isLoopbackName(String h) {
    return h.equals("localhost") || h.endsWith(".localhost") || h.equals("localhost.localdomain")
        || h.equals("ip6-localhost") || h.equals("ip6-loopback");
  }
}
