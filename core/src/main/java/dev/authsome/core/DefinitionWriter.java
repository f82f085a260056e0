package dev.authsome.core;

import dev.authsome.core.ProviderDefinition.ApiKeyConfig;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Writes a definition as an ordered map with the newer field names ({@code api_url} list, {@code docs_url}, flat
 * {@code export}), nulls left out. Unknown fields follow the known ones, so reading the result back yields an equal
 * definition.
 */
final class DefinitionWriter {
  private DefinitionWriter() {
  }

  static Map<String, Object> toMap(ProviderDefinition d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schema_version", d.schemaVersion());
    out.put("name", d.name());
    out.put("display_name", d.displayName());
    putIfPresent(out, "description", d.description());
    putIfPresent(out, "docs_url", d.docsUrl());
    putIfPresent(out, "logo", d.logo());
    out.put("auth_type", d.authType().wireName());
    out.put("flow", d.flow());
    if (d.oauth() != null) {
      out.put("oauth", oauth(d.oauth()));
    }
    if (d.apiKey() != null) {
      out.put("api_key", apiKey(d.apiKey()));
    }
    out.put("api_url", d.apiUrls());
    if (!d.export().isEmpty()) {
      out.put("export", new TreeMap<>(d.export()));
    }
    if (!d.metadata().isEmpty()) {
      out.put("metadata", new TreeMap<>(d.metadata()));
    }
    new TreeMap<>(d.extra()).forEach(out::putIfAbsent);
    return out;
  }

  private static Map<String, Object> oauth(OAuthConfig o) {
    Map<String, Object> out = new LinkedHashMap<>();
    putIfPresent(out, "authorization_url", o.authorizationUrl());
    putIfPresent(out, "token_url", o.tokenUrl());
    putIfPresent(out, "revocation_url", o.revocationUrl());
    putIfPresent(out, "device_authorization_url", o.deviceAuthorizationUrl());
    putIfPresent(out, "registration_endpoint", o.registrationEndpoint());
    putIfPresent(out, "userinfo_url", o.userinfoUrl());
    putIfPresent(out, "issuer", o.issuer());
    out.put("scopes", o.scopes());
    putIfPresent(out, "base_url", o.baseUrl());
    out.put("pkce", o.pkce());
    out.put("supports_device_flow", o.supportsDeviceFlow());
    out.put("supports_dcr", o.supportsDcr());
    putIfPresent(out, "token_endpoint_auth_method", o.tokenEndpointAuthMethod());
    if (!o.authorizeParams().isEmpty()) {
      out.put("authorize_params", new TreeMap<>(o.authorizeParams()));
    }
    out.put("device_token_request", o.deviceTokenRequest());
    new TreeMap<>(o.extra()).forEach(out::putIfAbsent);
    return out;
  }

  private static Map<String, Object> apiKey(ApiKeyConfig a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("header_name", a.headerName());
    out.put("header_prefix", a.headerPrefix());
    putIfPresent(out, "key_pattern", a.keyPattern());
    putIfPresent(out, "key_pattern_hint", a.keyPatternHint());
    new TreeMap<>(a.extra()).forEach(out::putIfAbsent);
    return out;
  }

  private static void putIfPresent(Map<String, Object> out, String key, @Nullable Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
