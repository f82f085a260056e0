package dev.authsome.proxy.engine;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A host and port as a CONNECT line or an absolute URL names them; the host lower-cased, IPv6 without brackets. */
record Authority(String host, int port) {
  /** Parsed for every request inside a tunnel (its Host header): compiled once, not by {@code String.matches}. */
  private static final Pattern HOST_CHARS = Pattern.compile("[A-Za-z0-9._:%-]+");

  /** Parses {@code host:port} (CONNECT), {@code [v6]:port}, or a bare host with {@code defaultPort}; null when bad. */
  static @Nullable Authority parse(String text, int defaultPort) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 300) {
      return null;
    }
    String host;
    int port = defaultPort;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        return null;
      }
      host = t.substring(1, end);
      String rest = t.substring(end + 1);
      if (rest.startsWith(":")) {
        port = parsePort(rest.substring(1));
      } else if (!rest.isEmpty()) {
        return null;
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') == colon) {
        host = t.substring(0, colon);
        port = parsePort(t.substring(colon + 1));
      } else if (colon < 0) {
        host = t;
      } else {
        return null;
      }
    }
    if (port <= 0 || host.isEmpty() || !HOST_CHARS.matcher(host).matches()) {
      return null;
    }
    if (host.indexOf('%') >= 0 && host.indexOf(':') < 0) {
      return null; // '%' belongs only to an IPv6 zone id; in a name it is an escape no resolver should see
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty() || host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
      return null; // an empty label: "c.." would otherwise stay "c.", a second spelling of the name "c"
    }
    return new Authority(host, port);
  }

  private static int parsePort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int p = Integer.parseInt(s);
    return p >= 1 && p <= 65_535 ? p : -1;
  }

  /** The literal loopback names, which are never intercepted (a name that merely resolves to loopback is not one). */
  boolean loopbackLiteral() {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1")
        || host.startsWith("127.") && host.matches("127(\\.\\d{1,3}){3}");
  }

  /** The Host header value for this authority: the default port of the scheme is left out. */
  String hostHeader(boolean tls) {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? h : h + ":" + port;
  }

  /** Whether a request's Host header names this authority (default port optional, case-insensitive). */
  boolean sameAs(@Nullable String hostHeader, boolean tls) {
    if (hostHeader == null) {
      return true;
    }
    Authority other = parse(hostHeader, tls ? 443 : 80);
    return equals(other);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
