package dev.authsome.shell.command;

import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ProviderListing;
import dev.authsome.core.ResolvedProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON shapes and text helpers shared by the commands (the shapes are documented in the README). */
final class Render {
  private Render() {
  }

  /** {@code {"connection_name","auth_type","status","is_default","scopes"?,"expires_at"?,"account"?}}. */
  static Map<String, Object> connection(ConnectionSummary c, boolean details) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connection_name", c.connectionName());
    m.put("auth_type", c.authType().wireName());
    m.put("status", c.status());
    m.put("is_default", c.isDefault());
    if (!c.scopes().isEmpty()) {
      m.put("scopes", c.scopes());
    }
    if (c.expiresAt() != null) {
      m.put("expires_at", c.expiresAt().toString());
    }
    if (c.account().id() != null || c.account().label() != null) {
      Map<String, Object> account = new LinkedHashMap<>();
      account.put("id", c.account().id());
      account.put("label", c.account().label());
      m.put("account", account);
    }
    if (details) {
      m.put("flow", c.flow());
      m.put("base_url", c.baseUrl());
      m.put("api_urls", c.apiUrls());
    }
    return m;
  }

  /** {@code {"name","display_name","auth_type","source","connections":[...]}}. */
  static Map<String, Object> provider(ProviderListing p) {
    ResolvedProvider r = p.provider();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("display_name", r.definition().displayName());
    m.put("auth_type", r.definition().authType().wireName());
    m.put("source", r.source().wireName());
    List<Object> connections = new ArrayList<>();
    p.connections().forEach(c -> connections.add(connection(c, false)));
    m.put("connections", connections);
    return m;
  }

  /** {@code expires in 5m}, {@code expired 2h ago}, or {@code -}. */
  static String expiry(Instant expiresAt, Instant now) {
    if (expiresAt == null) {
      return "-";
    }
    Duration d = Duration.between(now, expiresAt);
    return d.isNegative() ? "expired " + human(d.negated()) + " ago" : "expires in " + human(d);
  }

  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Map<?, ?> map) {
      StringBuilder b = new StringBuilder();
      map.forEach((k, v) -> {
        if (v != null) {
          b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(text(v));
        }
      });
      return b.toString();
    }
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(value);
  }
}
