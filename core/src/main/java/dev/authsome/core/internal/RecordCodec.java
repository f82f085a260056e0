package dev.authsome.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderState;
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
 * {@code access_token}, {@code expires_at} as ISO-8601 UTC). Written by hand over a tree rather than by reflection,
 * so that older shapes can be upgraded explicitly: a record without {@code schema_version} or with the Python
 * tool's {@code host_url} string still reads. A record from a newer authsome is refused rather than half-read and
 * then overwritten.
 */
public final class RecordCodec {
  public static final int CLIENT_SCHEMA_VERSION = 2;
  public static final int STATE_SCHEMA_VERSION = 2;

  static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private RecordCodec() {
  }

  // ---- connection -------------------------------------------------------------------------------------------

  /** The record as an ordered map of its JSON fields (nulls kept), as {@code get} shows it. */
  public static Map<String, Object> toMap(ConnectionRecord r) {
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
    m.put("metadata", r.metadata());
    return m;
  }

  public static String write(ConnectionRecord r) {
    return writeWithoutNulls(toMap(r));
  }

  public static ConnectionRecord readConnection(String key, String json) {
    ObjectNode n = parse(key, json);
    int version = version(key, n, ConnectionRecord.SCHEMA_VERSION);
    if (version < 2) {
      throw new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " has the old schema version "
          + version + "; run 'authsome logout " + text(n, "provider") + "' and log in again.");
    }
    List<String> apiUrls = strings(n.get("api_urls"));
    if (apiUrls.isEmpty() && n.hasNonNull("host_url")) {
      apiUrls = List.of(n.get("host_url").asText());
    }
    JsonNode account = n.path("account");
    try {
      return new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, req(key, n, "provider"),
          textOr(n, "profile", "default"), req(key, n, "connection_name"),
          AuthType.fromWireName(req(key, n, "auth_type")), text(n, "flow"),
          ConnectionStatus.fromWireName(textOr(n, "status", "connected")), text(n, "base_url"), apiUrls,
          strings(n.get("scopes")), text(n, "access_token"), text(n, "refresh_token"), text(n, "id_token"),
          text(n, "token_type"), instant(key, n, "expires_at"), instant(key, n, "obtained_at"), text(n, "api_key"),
          new ConnectionRecord.Account(text(account, "id"), text(account, "label")), metadata(n));
    } catch (IllegalArgumentException e) {
      throw damaged(key, e.getMessage());
    }
  }

  // ---- client -----------------------------------------------------------------------------------------------

  public static String write(ClientRecord r) {
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

  public static ClientRecord readClient(String key, String json) {
    ObjectNode n = parse(key, json);
    version(key, n, CLIENT_SCHEMA_VERSION);
    return new ClientRecord(CLIENT_SCHEMA_VERSION, req(key, n, "provider"), textOr(n, "profile", "default"),
        text(n, "client_id"), text(n, "client_secret"), text(n, "base_url"), strings(n.get("scopes")),
        text(n, "source"), text(n, "registration_endpoint"), instant(key, n, "created_at"), metadata(n));
  }

  // ---- state ------------------------------------------------------------------------------------------------

  public static String write(ProviderState s) {
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

  public static ProviderState readState(String key, String json) {
    ObjectNode n = parse(key, json);
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
    try {
      return JSON.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a record", e);
    }
  }

  private static ObjectNode parse(String key, String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node instanceof ObjectNode o) {
        return o;
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw damaged(key, "not a JSON object");
  }

  private static int version(String key, ObjectNode n, int newest) {
    int version = n.path("schema_version").asInt(newest);
    if (version > newest) {
      throw new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " has schema version " + version
          + ", written by a newer authsome (this one reads up to " + newest + "); upgrade authsome.");
    }
    return version;
  }

  private static AuthsomeException damaged(String key, String why) {
    return new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Record " + key + " is damaged (" + why
        + "); run 'authsome logout' for that connection and log in again.");
  }

  private static String req(String key, JsonNode n, String field) {
    String v = text(n, field);
    if (v == null) {
      throw damaged(key, "missing " + field);
    }
    return v;
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String textOr(JsonNode n, String field, String fallback) {
    String v = text(n, field);
    return v == null ? fallback : v;
  }

  private static List<String> strings(@Nullable JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n instanceof ArrayNode a) {
      a.forEach(e -> out.add(e.asText()));
    } else if (n != null && n.isTextual() && !n.asText().isBlank()) {
      // the Python tool sometimes stored scopes as one space-separated string
      for (String s : n.asText().trim().split("[\\s,]+")) {
        out.add(s);
      }
    }
    return out;
  }

  private static @Nullable Instant instant(String key, JsonNode n, String field) {
    String v = text(n, field);
    if (v == null || v.isBlank()) {
      return null;
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

  private static Map<String, Object> metadata(JsonNode n) {
    JsonNode m = n.get("metadata");
    if (m == null || !m.isObject()) {
      return Map.of();
    }
    Map<String, Object> out = JSON.convertValue(m, MAP);
    out.values().removeIf(java.util.Objects::isNull);
    return out;
  }
}
