package dev.authsome.proxy;

import dev.authsome.core.AuthsomeException;
import java.util.Locale;

/** What the proxy does with traffic to hosts it holds no credential for ({@code proxy.policy}). */
public enum ProxyPolicy {
  /** Unmatched traffic passes: CONNECTs are tunnelled untouched, plain requests forwarded. The default. */
  ALLOW,
  /** Unmatched or unconnected hosts are refused: 403 at CONNECT or for a plain request, with what to run. */
  DENY;

  /** Parses {@code allow} or {@code deny}; anything else is a usage error naming the value and where it came from. */
  public static ProxyPolicy parse(String value, String origin) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "allow" -> ALLOW;
      case "deny" -> DENY;
      default -> throw AuthsomeException.usage("proxy.policy = '" + value + "' (from " + origin
          + ") must be 'allow' or 'deny'.");
    };
  }
}
