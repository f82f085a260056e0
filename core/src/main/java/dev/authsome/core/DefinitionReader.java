package dev.authsome.core;

import dev.authsome.core.ProviderDefinition.ApiKeyConfig;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a parsed document (nested maps and lists) into a {@link ProviderDefinition}, accepting both eras' field
 * names: {@code host_url}/{@code api_url}, {@code docs}/{@code docs_url}, {@code export.env} (field to variable),
 * the flat era-C {@code export} ({@code GH_TOKEN: ACCESS_TOKEN}) and ours ({@code GH_TOKEN: access_token}),
 * {@code supports_device_code}/{@code supports_device_flow} and a top-level {@code registration} block.
 */
final class DefinitionReader {
  static final String DEFAULT_DEVICE_TOKEN_REQUEST = "oauth2_form";

  private DefinitionReader() {
  }

  static ProviderDefinition read(Map<?, ?> document, String origin) {
    DefinitionFields top = new DefinitionFields(origin, "", document);
    int schemaVersion = top.integer("schema_version", 1);
    if (schemaVersion != 1) {
      throw DefinitionFields.invalid(origin, "schema_version " + schemaVersion
          + " is not supported (this authsome reads version 1); upgrade authsome");
    }
    String name = top.requiredString("name");
    String displayName = top.requiredString("display_name");
    String description = top.string("description");
    String logo = top.string("logo");
    String docsUrl = top.has("docs_url") ? top.string("docs_url") : top.string("docs");
    String authTypeName = top.requiredString("auth_type");
    AuthType authType;
    try {
      authType = AuthType.fromWireName(authTypeName);
    } catch (AuthsomeException e) {
      throw DefinitionFields.invalid(origin, "field 'auth_type' must be oauth2 or api_key (got '" + authTypeName + "')");
    }
    String flow = top.string("flow");
    if (flow == null || flow.isBlank()) {
      flow = authType == AuthType.API_KEY ? "api_key" : "pkce";
    }

    Map<?, ?> registration = top.map("registration");
    String registrationEndpoint = null;
    Map<String, Object> registrationRest = Map.of();
    if (registration != null) {
      DefinitionFields reg = top.nested("registration", registration);
      registrationEndpoint = reg.string("registration_endpoint");
      registrationRest = reg.rest();
    }

    Map<?, ?> oauthMap = top.map("oauth");
    OAuthConfig oauth = oauthMap == null ? null : readOAuth(top.nested("oauth", oauthMap), registrationEndpoint);
    if (oauth == null && registrationEndpoint != null) {
      oauth = new OAuthConfig(null, null, null, null, registrationEndpoint, null, null, DEFAULT_DEVICE_TOKEN_REQUEST,
          List.of(), null, true, false, false, null, Map.of(), Map.of());
    }
    Map<?, ?> apiKeyMap = top.map("api_key");
    ApiKeyConfig apiKey = apiKeyMap == null ? null : readApiKey(top.nested("api_key", apiKeyMap));

    List<String> apiUrls = top.has("api_url") ? top.stringList("api_url", false) : top.stringList("host_url", false);
    Map<String, String> export = readExport(top, origin);
    Map<?, ?> metadataMap = top.map("metadata");
    Map<String, Object> metadata = metadataMap == null ? Map.of() : top.nested("metadata", metadataMap).rest();

    // what 'inspect --json' adds around a definition: dropped, so that its output saved as a file loads back
    for (String annotation : ProviderDefinitions.INSPECT_FIELDS) {
      top.take(annotation);
    }
    Map<String, Object> extra = top.rest();
    if (!registrationRest.isEmpty()) {
      extra.put("registration", registrationRest);
    }
    return new ProviderDefinition(schemaVersion, name, displayName, description, logo, docsUrl, authType, flow, oauth,
        apiKey, export, apiUrls, metadata, extra);
  }

  private static OAuthConfig readOAuth(DefinitionFields oauth, @Nullable String topLevelRegistration) {
    String authorizationUrl = oauth.string("authorization_url");
    String tokenUrl = oauth.string("token_url");
    String revocationUrl = oauth.string("revocation_url");
    String deviceUrl = oauth.string("device_authorization_url");
    String registrationEndpoint = oauth.string("registration_endpoint");
    if (registrationEndpoint == null) {
      registrationEndpoint = topLevelRegistration;
    }
    String userinfoUrl = oauth.string("userinfo_url");
    String issuer = oauth.string("issuer");
    String deviceTokenRequest = oauth.string("device_token_request");
    if (deviceTokenRequest == null) {
      deviceTokenRequest = DEFAULT_DEVICE_TOKEN_REQUEST;
    }
    List<String> scopes = oauth.stringList("scopes", true);
    String baseUrl = oauth.string("base_url");
    boolean pkce = oauth.bool("pkce", true);
    boolean deviceFlow = oauth.has("supports_device_flow")
        ? oauth.bool("supports_device_flow", false)
        : oauth.bool("supports_device_code", false);
    boolean dcr = oauth.bool("supports_dcr", false);
    String authMethod = oauth.string("token_endpoint_auth_method");
    Map<String, String> authorizeParams = oauth.scalarMap("authorize_params");
    return new OAuthConfig(authorizationUrl, tokenUrl, revocationUrl, deviceUrl, registrationEndpoint, userinfoUrl,
        issuer, deviceTokenRequest, scopes, baseUrl, pkce, deviceFlow, dcr, authMethod, authorizeParams, oauth.rest());
  }

  private static ApiKeyConfig readApiKey(DefinitionFields apiKey) {
    String headerName = apiKey.string("header_name");
    boolean prefixPresent = apiKey.has("header_prefix");
    String headerPrefix = apiKey.string("header_prefix");
    if (headerPrefix == null) {
      // era C writes null for "no prefix"; absent means the default
      headerPrefix = prefixPresent ? "" : "Bearer";
    }
    String keyPattern = apiKey.string("key_pattern");
    String hint = apiKey.string("key_pattern_hint");
    return new ApiKeyConfig(headerName == null || headerName.isBlank() ? "Authorization" : headerName, headerPrefix,
        keyPattern, hint, apiKey.rest());
  }

  /** Returns environment variable name to credential field, whichever era the file uses. */
  private static Map<String, String> readExport(DefinitionFields top, String origin) {
    Map<?, ?> export = top.map("export");
    if (export == null) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    DefinitionFields fields = top.nested("export", export);
    if (export.get("env") instanceof Map<?, ?>) {
      // era A: {env: {access_token: GITHUB_ACCESS_TOKEN}} maps field to variable
      Map<String, String> env = fields.scalarMap("env");
      env.forEach((field, variable) -> result.put(variable, credentialField(origin, "export.env." + field, field)));
    }
    for (Map.Entry<String, Object> entry : fields.rest().entrySet()) {
      if (!(entry.getValue() instanceof String value)) {
        throw fields.invalidField(entry.getKey(), "a credential field name (access_token, refresh_token, api_key)",
            entry.getValue());
      }
      result.put(entry.getKey(), credentialField(origin, "export." + entry.getKey(), value));
    }
    return result;
  }

  private static String credentialField(String origin, String path, String value) {
    String field = value.trim().toLowerCase(Locale.ROOT);
    if (field.equals("api_token")) {
      field = "api_key";
    }
    if (!ProviderDefinitions.CREDENTIAL_FIELDS.contains(field)) {
      throw DefinitionFields.invalid(origin, "field '" + path + "' must name access_token, refresh_token or api_key"
          + " (got " + DefinitionFields.describe(value) + ")");
    }
    return field;
  }
}
