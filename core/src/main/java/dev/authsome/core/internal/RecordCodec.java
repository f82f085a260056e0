package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderState;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON form of the vault records, with the reference's snake_case names ({@code connection_name},
 * {@code access_token}, {@code expires_at} as ISO-8601 UTC). Written by hand over plain maps rather than by reflection,
 * so that older shapes can be upgraded explicitly: a record without {@code schema_version} or with the Python
 * tool's {@code host_url} string still reads, and a schema 2 connection (no {@code client_id}) reads with a null client
 * reference, which means the provider's client. A record from a newer authsome is refused rather than half-read and
 * then overwritten (which is why adding {@code client_id} raised the connection schema to 3: an older authsome would
 * drop it).
 */
final class RecordCodec {
  static final int CLIENT_SCHEMA_VERSION = 2;
  static final int STATE_SCHEMA_VERSION = 2;

  private RecordCodec() {
  }

  // ---- connection -------------------------------------------------------------------------------------------

  /** The record as an ordered map of its JSON fields (nulls kept), as {@code get} shows it. */
  static Map<String, Object> toMap(ConnectionRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", r.schemaVersion());
    m.put("provider", r.provider());
    m.put("profile", r.profile());
    m.put("connection_name", r.connectionName());
    m.put("auth_type", r.authType().wireName());
    m.put("flow", r.flow());
    m.put("status", r.status().wireName());
    m.put("base_url", r.baseUrl());
    m.put("api_urls", r.apiUrls());
    m.put("scopes", r.scopes());
    m.put("access_token", r.accessToken());
    m.put("refresh_token", r.refreshToken());
    m.put("id_token", r.idToken());
    m.put("token_type", r.tokenType());
    m.put("expires_at", r.expiresAt() == null ? null : r.expiresAt().toString());
    m.put("obtained_at", r.obtainedAt() == null ? null : r.obtainedAt().toString());
    m.put("api_key", r.apiKey());
    Map<String, Object> account = new LinkedHashMap<>();
    account.put("id", r.account().id());
    account.put("label", r.account().label());
    m.put("account", account);
    m.put("client_id", r.clientId());
    m.put("metadata", r.metadata());
    return m;
  }

  static String write(ConnectionRecord r) {
    return writeWithoutNulls(toMap(r));
  }

  static ConnectionRecord readConnection(String key, String json) {
    return readConnection(key, parse(key, json));
  }

  /** A connection record from its JSON fields, as {@link #toMap} writes them. */
  static ConnectionRecord readConnection(String key, Map<String, Object> n) {
    int version = version(key, n, ConnectionRecord.SCHEMA_VERSION);
    if (version < 2) {
      throw new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " has the old schema version "
          + version + "; run 'authsome logout " + text(n, "provider") + "' and log in again.");
    }
    List<String> apiUrls = strings(n.get("api_urls"));
    if (apiUrls.isEmpty() && text(n, "host_url") != null) {
      apiUrls = List.of(text(n, "host_url"));
    }
    Map<String, Object> account = n.get("account") instanceof Map<?, ?> a ? cast(a) : Map.of();
    try {
      return new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, req(key, n, "provider"),
          textOr(n, "profile", "default"), req(key, n, "connection_name"),
          authType(key, req(key, n, "auth_type")), text(n, "flow"),
          ConnectionStatus.fromWireName(textOr(n, "status", "connected")), text(n, "base_url"), apiUrls,
          strings(n.get("scopes")), text(n, "access_token"), text(n, "refresh_token"), text(n, "id_token"),
          text(n, "token_type"), instant(key, n, "expires_at"), instant(key, n, "obtained_at"), text(n, "api_key"),
          new ConnectionRecord.Account(text(account, "id"), text(account, "label")), metadata(n),
          text(n, "client_id"));
    } catch (IllegalArgumentException e) {
      throw damaged(key, e.getMessage());
    }
  }

  // ---- client -----------------------------------------------------------------------------------------------

  static String write(ClientRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", CLIENT_SCHEMA_VERSION);
    m.put("provider", r.provider());
    m.put("profile", r.profile());
    m.put("client_id", r.clientId());
    m.put("client_secret", r.clientSecret());
    m.put("base_url", r.baseUrl());
    m.put("scopes", r.scopes());
    m.put("source", r.source());
    m.put("registration_endpoint", r.registrationEndpoint());
    m.put("created_at", r.createdAt() == null ? null : r.createdAt().toString());
    m.put("metadata", r.metadata());
    return writeWithoutNulls(m);
  }

  static ClientRecord readClient(String key, String json) {
    Map<String, Object> n = parse(key, json);
    version(key, n, CLIENT_SCHEMA_VERSION);
    return new ClientRecord(CLIENT_SCHEMA_VERSION, req(key, n, "provider"), textOr(n, "profile", "default"),
        text(n, "client_id"), text(n, "client_secret"), text(n, "base_url"), strings(n.get("scopes")),
        text(n, "source"), text(n, "registration_endpoint"), instant(key, n, "created_at"), metadata(n));
  }

  // ---- state ------------------------------------------------------------------------------------------------

  static String write(ProviderState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema_version", STATE_SCHEMA_VERSION);
    m.put("provider", s.provider());
    m.put("profile", s.profile());
    m.put("default_connection", s.defaultConnection());
    m.put("last_refresh_at", s.lastRefreshAt() == null ? null : s.lastRefreshAt().toString());
    m.put("last_refresh_error", s.lastRefreshError());
    m.put("metadata", s.metadata());
    return writeWithoutNulls(m);
  }

  static ProviderState readState(String key, String json) {
    Map<String, Object> n = parse(key, json);
    version(key, n, STATE_SCHEMA_VERSION);
    return new ProviderState(STATE_SCHEMA_VERSION, req(key, n, "provider"), textOr(n, "profile", "default"),
        textOr(n, "default_connection", "default"), instant(key, n, "last_refresh_at"),
        text(n, "last_refresh_error"), metadata(n));
  }

  // ---- helpers ----------------------------------------------------------------------------------------------

  static String writeWithoutNulls(Map<String, Object> m) {
    Map<String, Object> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> {
      if (v != null) {
        copy.put(k, v);
      }
    });
    return Json.write(copy);
  }

  private static Map<String, Object> parse(String key, String json) {
    try {
      if (Json.parse(json) instanceof Map<?, ?> m) {
        return cast(m);
      }
    } catch (IOException e) {
      // reported below
    }
    throw damaged(key, "not a JSON object");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static int version(String key, Map<String, Object> n, int newest) {
    Object v = n.get("schema_version");
    int version = v instanceof Number num ? num.intValue() : newest;
    if (version > newest) {
      throw new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " has schema version " + version
          + ", written by a newer authsome (this one reads up to " + newest + "); upgrade authsome.");
    }
    return version;
  }

  private static AuthType authType(String key, String value) {
    for (AuthType t : AuthType.values()) {
      if (t.wireName().equals(value)) {
        return t;
      }
    }
    throw damaged(key, "unknown auth_type '" + value + "'");
  }

  private static AuthsomeException damaged(String key, String why) {
    // a damaged record may hold anything where a word was expected: keep the message on one printable line
    String shown = why.replaceAll("\\p{Cc}", "?");
    return new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " is damaged (" + shown
        + "); run 'authsome logout' for that connection and log in again.");
  }

  private static String req(String key, Map<String, Object> n, String field) {
    String v = text(n, field);
    if (v == null) {
      throw damaged(key, "missing " + field);
    }
    return v;
  }

  private static @Nullable String text(Map<String, Object> n, String field) {
    Object v = n.get(field);
    return v == null || v instanceof Map || v instanceof List ? null : v.toString();
  }

  private static String textOr(Map<String, Object> n, String field, String fallback) {
    String v = text(n, field);
    return v == null ? fallback : v;
  }

  private static List<String> strings(@Nullable Object n) {
    List<String> out = new ArrayList<>();
    if (n instanceof List<?> a) {
      a.forEach(e -> {
        if (e != null) {
          out.add(e.toString());
        }
      });
    } else if (n instanceof String s && !s.isBlank()) {
      // the Python tool sometimes stored scopes as one space-separated string
      for (String part : s.trim().split("[\\s,]+")) {
        out.add(part);
      }
    }
    return out;
  }

  private static @Nullable Instant instant(String key, Map<String, Object> n, String field) {
    String v = text(n, field);
    if (v == null || v.isBlank()) {
      return null;
    }
    Instant canonical = CanonicalInstant.parse(v);
    if (canonical != null) {
      return canonical;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(v).toInstant();
      } catch (DateTimeParseException e2) {
        throw damaged(key, field + " '" + v + "' is not an ISO-8601 time");
      }
    }
  }

  private static Map<String, Object> metadata(Map<String, Object> n) {
    if (!(n.get("metadata") instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>(cast(m));
    out.values().removeIf(java.util.Objects::isNull);
    return out;
  }
}
