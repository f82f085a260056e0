package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A provider definition: how to obtain and use a credential for one API. Read from YAML or JSON in either era's field
 * names (see {@code ProviderDefinitions} in the engine); written with the newer names ({@code api_url},
 * {@code docs_url}, flat {@code export}).
 *
 * @param schemaVersion the definition format version (1)
 * @param name filesystem-safe identifier, {@code ^[a-zA-Z0-9][a-zA-Z0-9._-]*$}
 * @param displayName human name
 * @param authType credential kind
 * @param flow default flow id ({@code pkce}, {@code device_code}, {@code dcr_pkce}, {@code client_credentials},
 *     {@code api_key}, or a third-party flow)
 * @param oauth required when {@code authType} is OAuth 2
 * @param apiKey required when {@code authType} is API key
 * @param export environment variable name to credential field ({@code access_token}, {@code refresh_token},
 *     {@code api_key}); several names may map to one field
 * @param apiUrls proxy routing targets: hosts, URL path prefixes or {@code regex:} host patterns
 * @param extra unknown fields, kept so that a definition round-trips unchanged
 */
public record ProviderDefinition(
    int schemaVersion,
    String name,
    String displayName,
    @Nullable String description,
    @Nullable String logo,
    @Nullable String docsUrl,
    AuthType authType,
    String flow,
    @Nullable OAuthConfig oauth,
    @Nullable ApiKeyConfig apiKey,
    Map<String, String> export,
    List<String> apiUrls,
    Map<String, Object> metadata,
    Map<String, Object> extra) {

  public ProviderDefinition {
    requireNonNull(name, "name");
    requireNonNull(displayName, "displayName");
    requireNonNull(authType, "authType");
    requireNonNull(flow, "flow");
    export = Map.copyOf(export);
    apiUrls = List.copyOf(apiUrls);
    metadata = Map.copyOf(metadata);
    extra = Map.copyOf(extra);
  }

  public Optional<OAuthConfig> oauthConfig() {
    return Optional.ofNullable(oauth);
  }

  public Optional<ApiKeyConfig> apiKeyConfig() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * The documentation URLs that back this definition's endpoints, scopes, client authentication and API hosts
   * ({@code sources}); every bundled definition has at least one. Empty when not given.
   */
  public List<String> sources() {
    return strings(extra.get("sources"));
  }

  /** What could not be confirmed from the documentation, or a caveat for users ({@code notes}); empty when none. */
  public Optional<String> notes() {
    return extra.get("notes") instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
  }

  /** A builder holding this definition's fields: the way to derive a changed copy without restating the other 13. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a changed copy of a definition ({@link #toBuilder}); each setter replaces one field. */
  public static final class Builder {
    private int schemaVersion;
    private String name;
    private String displayName;
    private @Nullable String description;
    private @Nullable String logo;
    private @Nullable String docsUrl;
    private AuthType authType;
    private String flow;
    private @Nullable OAuthConfig oauth;
    private @Nullable ApiKeyConfig apiKey;
    private Map<String, String> export;
    private List<String> apiUrls;
    private Map<String, Object> metadata;
    private Map<String, Object> extra;

    private Builder(ProviderDefinition r) {
      schemaVersion = r.schemaVersion;
      name = r.name;
      displayName = r.displayName;
      description = r.description;
      logo = r.logo;
      docsUrl = r.docsUrl;
      authType = r.authType;
      flow = r.flow;
      oauth = r.oauth;
      apiKey = r.apiKey;
      export = r.export;
      apiUrls = r.apiUrls;
      metadata = r.metadata;
      extra = r.extra;
    }

    public Builder schemaVersion(int v) {
      schemaVersion = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder displayName(String v) {
      displayName = v;
      return this;
    }

    public Builder description(@Nullable String v) {
      description = v;
      return this;
    }

    public Builder logo(@Nullable String v) {
      logo = v;
      return this;
    }

    public Builder docsUrl(@Nullable String v) {
      docsUrl = v;
      return this;
    }

    public Builder authType(AuthType v) {
      authType = v;
      return this;
    }

    public Builder flow(String v) {
      flow = v;
      return this;
    }

    public Builder oauth(@Nullable OAuthConfig v) {
      oauth = v;
      return this;
    }

    public Builder apiKey(@Nullable ApiKeyConfig v) {
      apiKey = v;
      return this;
    }

    public Builder export(Map<String, String> v) {
      export = v;
      return this;
    }

    public Builder apiUrls(List<String> v) {
      apiUrls = v;
      return this;
    }

    public Builder metadata(Map<String, Object> v) {
      metadata = v;
      return this;
    }

    public Builder extra(Map<String, Object> v) {
      extra = v;
      return this;
    }

    public ProviderDefinition build() {
      return new ProviderDefinition(schemaVersion, name, displayName, description, logo, docsUrl, authType, flow,
          oauth, apiKey, export, apiUrls, metadata, extra);
    }
  }

  /** A list of strings from an extension field (a single string counts as a one-item list); empty otherwise. */
  static List<String> strings(@Nullable Object value) {
    if (value instanceof String s) {
      return s.isBlank() ? List.of() : List.of(s);
    }
    if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    return List.of();
  }

  /**
   * OAuth 2 endpoints and behaviour. URLs may contain {@code {base_url}}.
   *
   * @param deviceTokenRequest {@code oauth2_form} (default) or {@code json} (poll with a JSON body, as Postiz does)
   * @param tokenEndpointAuthMethod {@code client_secret_basic}, {@code client_secret_post} or {@code none}; absent
   *     means: from the server's metadata when discovery finds it, else {@code client_secret_post} (the client
   *     credentials in the form body, as the reference tool sends them) when a secret exists
   * @param authorizeParams extra authorization request parameters ({@code access_type=offline}, {@code audience},
   *     {@code resource})
   * @param extra unknown fields, and the optional fields read by {@link #scopeSeparator()}, {@link #deviceScopes()},
   *     {@link #scopeParameter()} and {@link #clientSecretRequired()}
   */
  public record OAuthConfig(
      @Nullable String authorizationUrl,
      @Nullable String tokenUrl,
      @Nullable String revocationUrl,
      @Nullable String deviceAuthorizationUrl,
      @Nullable String registrationEndpoint,
      @Nullable String userinfoUrl,
      @Nullable String issuer,
      String deviceTokenRequest,
      List<String> scopes,
      @Nullable String baseUrl,
      boolean pkce,
      boolean supportsDeviceFlow,
      boolean supportsDcr,
      @Nullable String tokenEndpointAuthMethod,
      Map<String, String> authorizeParams,
      Map<String, Object> extra) {

    public OAuthConfig {
      requireNonNull(deviceTokenRequest, "deviceTokenRequest");
      scopes = List.copyOf(scopes);
      authorizeParams = Map.copyOf(authorizeParams);
      extra = Map.copyOf(extra);
    }

    /** The separators {@code scope_separator} accepts. */
    public static final List<String> SCOPE_SEPARATORS = List.of(" ", ",", "+");

    /**
     * How scopes are joined in a request ({@code scope_separator}): a space (the default, RFC 6749), a comma (Slack,
     * TikTok) or {@code +}. A {@code +} is how a space looks in a form-encoded query, so it is sent as a space.
     */
    public String scopeSeparator() {
      return extra.get("scope_separator") instanceof String s && !s.isEmpty() ? s : " ";
    }

    /** {@code scopes} joined with {@link #scopeSeparator()} ({@code +} sent as a space). */
    public String joinScopes(List<String> scopes) {
      String separator = scopeSeparator();
      return String.join(separator.equals("+") ? " " : separator, scopes);
    }

    /**
     * The scopes the device flow requests by default ({@code device_scopes}), for providers that allow fewer scopes
     * there (Google); {@link #scopes()} when not given.
     */
    public List<String> deviceScopes() {
      return extra.containsKey("device_scopes") ? strings(extra.get("device_scopes")) : scopes;
    }

    /**
     * The authorization request parameter that carries the scopes ({@code scope_parameter}): {@code scope} by
     * default; Slack's user tokens are requested with {@code user_scope}.
     */
    public String scopeParameter() {
      return extra.get("scope_parameter") instanceof String s && !s.isBlank() ? s : "scope";
    }

    /**
     * Whether the token endpoint needs the client secret even with PKCE ({@code client_secret_required}), as
     * Atlassian's does: the login then asks for it instead of offering a public client.
     */
    public boolean clientSecretRequired() {
      return Boolean.TRUE.equals(extra.get("client_secret_required"));
    }

    /** A builder holding these fields: the way to derive a changed copy without restating the other 15. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** Builds a changed copy of an OAuth configuration ({@link #toBuilder}); each setter replaces one field. */
    public static final class Builder {
      private @Nullable String authorizationUrl;
      private @Nullable String tokenUrl;
      private @Nullable String revocationUrl;
      private @Nullable String deviceAuthorizationUrl;
      private @Nullable String registrationEndpoint;
      private @Nullable String userinfoUrl;
      private @Nullable String issuer;
      private String deviceTokenRequest;
      private List<String> scopes;
      private @Nullable String baseUrl;
      private boolean pkce;
      private boolean supportsDeviceFlow;
      private boolean supportsDcr;
      private @Nullable String tokenEndpointAuthMethod;
      private Map<String, String> authorizeParams;
      private Map<String, Object> extra;

      private Builder(OAuthConfig r) {
        authorizationUrl = r.authorizationUrl;
        tokenUrl = r.tokenUrl;
        revocationUrl = r.revocationUrl;
        deviceAuthorizationUrl = r.deviceAuthorizationUrl;
        registrationEndpoint = r.registrationEndpoint;
        userinfoUrl = r.userinfoUrl;
        issuer = r.issuer;
        deviceTokenRequest = r.deviceTokenRequest;
        scopes = r.scopes;
        baseUrl = r.baseUrl;
        pkce = r.pkce;
        supportsDeviceFlow = r.supportsDeviceFlow;
        supportsDcr = r.supportsDcr;
        tokenEndpointAuthMethod = r.tokenEndpointAuthMethod;
        authorizeParams = r.authorizeParams;
        extra = r.extra;
      }

      public Builder authorizationUrl(@Nullable String v) {
        authorizationUrl = v;
        return this;
      }

      public Builder tokenUrl(@Nullable String v) {
        tokenUrl = v;
        return this;
      }

      public Builder revocationUrl(@Nullable String v) {
        revocationUrl = v;
        return this;
      }

      public Builder deviceAuthorizationUrl(@Nullable String v) {
        deviceAuthorizationUrl = v;
        return this;
      }

      public Builder registrationEndpoint(@Nullable String v) {
        registrationEndpoint = v;
        return this;
      }

      public Builder userinfoUrl(@Nullable String v) {
        userinfoUrl = v;
        return this;
      }

      public Builder issuer(@Nullable String v) {
        issuer = v;
        return this;
      }

      public Builder deviceTokenRequest(String v) {
        deviceTokenRequest = v;
        return this;
      }

      public Builder scopes(List<String> v) {
        scopes = v;
        return this;
      }

      public Builder baseUrl(@Nullable String v) {
        baseUrl = v;
        return this;
      }

      public Builder pkce(boolean v) {
        pkce = v;
        return this;
      }

      public Builder supportsDeviceFlow(boolean v) {
        supportsDeviceFlow = v;
        return this;
      }

      public Builder supportsDcr(boolean v) {
        supportsDcr = v;
        return this;
      }

      public Builder tokenEndpointAuthMethod(@Nullable String v) {
        tokenEndpointAuthMethod = v;
        return this;
      }

      public Builder authorizeParams(Map<String, String> v) {
        authorizeParams = v;
        return this;
      }

      public Builder extra(Map<String, Object> v) {
        extra = v;
        return this;
      }

      public OAuthConfig build() {
        return new OAuthConfig(authorizationUrl, tokenUrl, revocationUrl, deviceAuthorizationUrl,
            registrationEndpoint, userinfoUrl, issuer, deviceTokenRequest, scopes, baseUrl, pkce, supportsDeviceFlow,
            supportsDcr, tokenEndpointAuthMethod, authorizeParams, extra);
      }
    }
  }

  /**
   * How an API key is presented.
   *
   * @param headerName header carrying the key (default {@code Authorization})
   * @param headerPrefix prefix before the key ({@code Bearer} by default; empty means the raw key; {@code Basic}
   *     means HTTP Basic with the key as user name and an empty password, unless {@code basic_auth} says otherwise)
   * @param keyPattern a regular expression the whole key must match
   * @param keyPatternHint the message shown when it does not
   * @param extra unknown fields, and the optional HTTP Basic fields read by {@link #basicAuth()} and
   *     {@link #basicUsername()}: {@code basic_auth} ({@code username} or {@code password}: which half of the Basic
   *     credentials the key is) and {@code basic_username} (the user name sent when the key is the password;
   *     default empty). Lemlist wants {@code :KEY}, Mailchimp {@code anystring:KEY}.
   */
  public record ApiKeyConfig(
      String headerName,
      String headerPrefix,
      @Nullable String keyPattern,
      @Nullable String keyPatternHint,
      Map<String, Object> extra) {

    public ApiKeyConfig {
      requireNonNull(headerName, "headerName");
      requireNonNull(headerPrefix, "headerPrefix");
      extra = Map.copyOf(extra);
    }

    /** Which half of the HTTP Basic credentials the key is. */
    public enum BasicAuth {
      /** {@code base64(KEY:)}: the key is the user name, the password empty (Ashby; {@code header_prefix: Basic}). */
      USERNAME,
      /** {@code base64(USER:KEY)}: the key is the password, the user name {@link #basicUsername()}. */
      PASSWORD
    }

    /**
     * How the key is sent with HTTP Basic: {@code basic_auth} when given, else {@link BasicAuth#USERNAME} for
     * {@code header_prefix: Basic}; empty when the key is not sent with HTTP Basic.
     */
    public Optional<BasicAuth> basicAuth() {
      Object value = extra.get("basic_auth");
      if ("password".equals(value)) {
        return Optional.of(BasicAuth.PASSWORD);
      }
      if ("username".equals(value) || headerPrefix.equalsIgnoreCase("Basic")) {
        return Optional.of(BasicAuth.USERNAME);
      }
      return Optional.empty();
    }

    /** The user name sent with the key as the Basic password ({@code basic_username}; default empty). */
    public String basicUsername() {
      return extra.get("basic_username") instanceof String s ? s : "";
    }

    /**
     * The {@code Authorization}-style header value that presents {@code key}: HTTP Basic per {@link #basicAuth()},
     * else {@code header_prefix KEY} (the raw key for an empty prefix).
     */
    public String headerValue(String key) {
      requireNonNull(key, "key");
      Optional<BasicAuth> basic = basicAuth();
      if (basic.isPresent()) {
        String pair = basic.get() == BasicAuth.PASSWORD ? basicUsername() + ":" + key : key + ":";
        return "Basic " + Base64.getEncoder().encodeToString(
            pair.getBytes(StandardCharsets.UTF_8));
      }
      return headerPrefix.isEmpty() ? key : headerPrefix + " " + key;
    }
  }
}
