package dev.authsome.shell.command;

import dev.authsome.core.AuthsomeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code proxy.resolve} / {@code AUTHSOME_PROXY_RESOLVE}: {@code host:port=address:port,...}, like curl's
 * {@code --resolve}, mapping where the proxy is asked to go to where it dials instead. The address must be an IP
 * literal ({@code 127.0.0.1}, {@code [::1]}): a name would only move the lookup this exists to avoid. Keys come out
 * as lower-case {@code host:port}.
 */
final class ResolveOverrides {
  // host: a DNS name or a bracketed IPv6 literal; address: dotted IPv4 or bracketed IPv6
  private static final Pattern ENTRY = Pattern.compile(
      "(?<host>[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]):(?<port>[0-9]{1,5})"
          + "=(?<addr>[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):(?<aport>[0-9]{1,5})");
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
      + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  private ResolveOverrides() {
  }

  /**
   * The overrides in {@code value}; blank means none.
   *
   * @param origin where the value came from ({@code env AUTHSOME_PROXY_RESOLVE}, {@code config.yaml}), for errors
   * @throws AuthsomeException a usage error naming the first bad entry and the expected form
   */
  static Map<String, InetSocketAddress> parse(String value, String origin) {
    Map<String, InetSocketAddress> overrides = new LinkedHashMap<>();
    if (value.isBlank()) {
      return overrides;
    }
    for (String raw : value.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue; // tolerate "a,b," and "a,,b"
      }
      Matcher m = ENTRY.matcher(entry);
      if (!m.matches()) {
        throw bad(entry, origin, "not in that form");
      }
      String host = m.group("host").toLowerCase(Locale.ROOT);
      if (host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
        throw bad(entry, origin, "'" + host + "' is not a host name");
      }
      int port = port(m.group("port"), entry, origin);
      int addressPort = port(m.group("aport"), entry, origin);
      if (port == 0 || addressPort == 0) {
        throw bad(entry, origin, "port 0 cannot be dialled");
      }
      String key = host + ":" + port;
      if (overrides.containsKey(key)) {
        throw bad(entry, origin, key + " is given twice");
      }
      overrides.put(key, new InetSocketAddress(address(m.group("addr"), entry, origin), addressPort));
    }
    return overrides;
  }

  private static int port(String digits, String entry, String origin) {
    int port = Integer.parseInt(digits);
    if (port > 65_535) {
      throw bad(entry, origin, "port " + port + " is outside 0-65535");
    }
    return port;
  }

  private static InetAddress address(String literal, String entry, String origin) {
    boolean v6 = literal.startsWith("[");
    String bare = v6 ? literal.substring(1, literal.length() - 1) : literal;
    if (!v6 && !IPV4.matcher(bare).matches()) {
      throw bad(entry, origin, "'" + literal + "' is not an IPv4 address");
    }
    if (v6 && !bare.contains(":")) {
      throw bad(entry, origin, "'" + literal + "' is not an IPv6 address");
    }
    try {
      // an IP literal: no name lookup happens (the pattern admits only digits, dots, hex digits and colons)
      InetAddress address = InetAddress.getByName(bare);
      if (v6 != (address instanceof java.net.Inet6Address)) {
        throw bad(entry, origin, "'" + literal + "' is not an IPv6 address");
      }
      return address;
    } catch (UnknownHostException e) {
      throw bad(entry, origin, "'" + literal + "' is not an IP address");
    }
  }

  private static AuthsomeException bad(String entry, String origin, String why) {
    return AuthsomeException.usage("proxy.resolve entry '" + entry + "' (from " + origin + "): " + why
        + "; entries are host:port=address:port, for example api.example.test:443=127.0.0.1:8443.");
  }
}
