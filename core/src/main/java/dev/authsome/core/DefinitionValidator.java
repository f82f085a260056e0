package dev.authsome.core;

import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The semantic checks behind {@code register}, custom provider files and the bundled catalogue. Each failure is an
 * {@link ErrorCode#INVALID_PROVIDER} error naming the origin, the field and the bad value.
 */
final class DefinitionValidator {
  static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]*$");
  static final Pattern ENV_NAME = Pattern.compile("^[A-Z_][A-Z0-9_]*$");
  // compiled once: `list` validates every bundled definition (414) on each run
  private static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");
  private static final Pattern PARAMETER_NAME = Pattern.compile("^[A-Za-z0-9_.-]+$");
  private static final Pattern GROUP_FLAGS = Pattern.compile("(?s).*\\(\\?(?!:).*");
  private static final Pattern HOST = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]"
      + "([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?$");
  /**
   * A host regex must end in a boundary ({@code ^}, {@code \.} or {@code (^|\.)}), then a literal domain of at least
   * two labels, then {@code $}: whatever comes before can then only add subdomains of that domain.
   */
  private static final Pattern ANCHORED_REGEX = Pattern.compile(
      "^(.*?)(\\(\\^\\|\\\\\\.\\)|\\(\\?:\\^\\|\\\\\\.\\)|\\\\\\.|\\^)((?:[a-zA-Z0-9-]+\\\\\\.)+[a-zA-Z0-9-]+)\\$$");
  static final String BASE_URL_PLACEHOLDER = "{base_url}";
  static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "::1", "[::1]", "localhost");

  private final String origin;

  DefinitionValidator(String origin) {
    this.origin = origin;
  }

  void validate(ProviderDefinition d, Set<String> knownFlows, boolean catalogue) {
    String name = d.name();
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      fail("field 'name' must match ^[a-zA-Z0-9][a-zA-Z0-9._-]*$ without '..' (got " + DefinitionFields.describe(name) + ")");
    }
    checkFlow(d, knownFlows);
    if (d.authType() == AuthType.OAUTH2) {
      checkOAuth(d);
    } else if (d.apiKey() == null) {
      fail("auth_type api_key needs an 'api_key' section (header_name, header_prefix)");
    }
    if (d.apiKey() != null && d.apiKey().keyPattern() != null) {
      try {
        Pattern.compile(d.apiKey().keyPattern());
      } catch (PatternSyntaxException e) {
        fail("field 'api_key.key_pattern' is not a valid regular expression (got " + DefinitionFields.describe(d.apiKey().keyPattern()) + ")");
      }
    }
    if (d.apiKey() != null) {
      checkBasicAuth(d.apiKey());
    }
    if (d.apiKey() != null && !HEADER_NAME.matcher(d.apiKey().headerName()).matches()) {
      fail("field 'api_key.header_name' is not a valid HTTP header name (got " + DefinitionFields.describe(d.apiKey().headerName()) + ")");
    }
    for (String entry : d.apiUrls()) {
      checkApiUrl(entry);
    }
    for (Map.Entry<String, String> entry : d.export().entrySet()) {
      if (!ENV_NAME.matcher(entry.getKey()).matches()) {
        fail("field 'export' has an invalid environment variable name (got '" + entry.getKey()
            + "'; expected ^[A-Z_][A-Z0-9_]*$)");
      }
    }
    checkUrl("docs_url", d.docsUrl());
    checkUrl("logo", d.logo());
    checkDocumentation(d);
    if (catalogue) {
      if (d.docsUrl() == null || d.docsUrl().isBlank()) {
        fail("field 'docs_url' is required for a bundled provider (the vendor's own documentation page)");
      }
      if (d.sources().isEmpty()) {
        fail("field 'sources' is required for a bundled provider: the documentation URLs that back its endpoints, "
            + "scopes, client authentication and API hosts");
      }
      if (d.oauth() != null && d.oauth().tokenEndpointAuthMethod() == null) {
        fail("field 'oauth.token_endpoint_auth_method' must be stated in a bundled provider (client_secret_post, "
            + "client_secret_basic or none), so that no entry depends on a default");
      }
    }
  }

  /** {@code sources} is a list of https URLs and {@code notes} text. */
  private void checkDocumentation(ProviderDefinition d) {
    Object sources = d.extra().get("sources");
    if (sources != null) {
      if (!(sources instanceof java.util.List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
        fail("field 'sources' must be a list of documentation URLs (got " + DefinitionFields.describe(sources) + ")");
      }
      for (String url : d.sources()) {
        checkUrl("sources", url);
      }
    }
    Object notes = d.extra().get("notes");
    if (notes != null && !(notes instanceof String)) {
      fail("field 'notes' must be text (got " + DefinitionFields.describe(notes) + ")");
    }
  }

  /** The optional OAuth fields kept in {@code extra}: scope separator and parameter, device scopes, secret need. */
  private void checkOAuthExtensions(OAuthConfig o) {
    Object separator = o.extra().get("scope_separator");
    if (separator != null && !OAuthConfig.SCOPE_SEPARATORS.contains(separator)) {
      fail("field 'oauth.scope_separator' must be ' ', ',' or '+' (got " + DefinitionFields.describe(separator) + ")");
    }
    Object deviceScopes = o.extra().get("device_scopes");
    if (deviceScopes != null && !(deviceScopes instanceof String)
        && !(deviceScopes instanceof java.util.List<?> list && list.stream().allMatch(String.class::isInstance))) {
      fail("field 'oauth.device_scopes' must be a list of scopes (got " + DefinitionFields.describe(deviceScopes)
          + ")");
    }
    Object parameter = o.extra().get("scope_parameter");
    if (parameter != null && !(parameter instanceof String s && PARAMETER_NAME.matcher(s).matches())) {
      fail("field 'oauth.scope_parameter' must be a parameter name such as scope or user_scope (got "
          + DefinitionFields.describe(parameter) + ")");
    }
    Object secretRequired = o.extra().get("client_secret_required");
    if (secretRequired != null && !(secretRequired instanceof Boolean)) {
      fail("field 'oauth.client_secret_required' must be true or false (got "
          + DefinitionFields.describe(secretRequired) + ")");
    }
  }

  /** {@code basic_auth} is username or password; {@code basic_username} goes with password and has no colon. */
  private void checkBasicAuth(ProviderDefinition.ApiKeyConfig a) {
    Object mode = a.extra().get("basic_auth");
    if (mode != null && !"username".equals(mode) && !"password".equals(mode)) {
      fail("field 'api_key.basic_auth' must be username or password (got " + DefinitionFields.describe(mode) + ")");
    }
    Object user = a.extra().get("basic_username");
    if (user == null) {
      return;
    }
    if (!"password".equals(mode)) {
      fail("field 'api_key.basic_username' needs 'api_key.basic_auth: password' (got basic_auth "
          + DefinitionFields.describe(mode) + ")");
    }
    if (!(user instanceof String s) || s.contains(":") || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      fail("field 'api_key.basic_username' must be text without ':' or control characters (got "
          + DefinitionFields.describe(user) + ")");
    }
  }

  void checkFlow(ProviderDefinition d, Set<String> knownFlows) {
    String flow = d.flow();
    boolean thirdParty = knownFlows.contains(flow) && !ProviderDefinitions.BUILTIN_FLOWS.contains(flow);
    boolean fits = d.authType() == AuthType.API_KEY
        ? flow.equals("api_key") || thirdParty
        : ProviderDefinitions.OAUTH_FLOWS.contains(flow) || thirdParty;
    if (!fits) {
      fail("field 'flow' value '" + flow + "' does not fit auth_type " + d.authType().wireName() + " (expected "
          + (d.authType() == AuthType.API_KEY ? "api_key" : String.join(", ", ProviderDefinitions.OAUTH_FLOWS))
          + " or an installed third-party flow)");
    }
  }

  private void checkOAuth(ProviderDefinition d) {
    OAuthConfig o = d.oauth();
    if (o == null) {
      fail("auth_type oauth2 needs an 'oauth' section (authorization_url, token_url, scopes)");
      return;
    }
    switch (d.flow()) {
      case "pkce" -> {
        require("oauth.authorization_url", o.authorizationUrl());
        require("oauth.token_url", o.tokenUrl());
      }
      case "dcr_pkce" -> {
        if (o.issuer() == null) {
          require("oauth.authorization_url", o.authorizationUrl());
          require("oauth.token_url", o.tokenUrl());
        }
      }
      case "device_code" -> {
        require("oauth.device_authorization_url", o.deviceAuthorizationUrl());
        require("oauth.token_url", o.tokenUrl());
      }
      case "client_credentials" -> require("oauth.token_url", o.tokenUrl());
      default -> {
        // a third-party flow decides what it needs
      }
    }
    if (o.supportsDeviceFlow() && o.deviceAuthorizationUrl() == null) {
      fail("field 'oauth.supports_device_flow' is true but 'oauth.device_authorization_url' is missing");
    }
    checkOAuthExtensions(o);
    if (!Set.of("oauth2_form", "json").contains(o.deviceTokenRequest())) {
      fail("field 'oauth.device_token_request' must be oauth2_form or json (got " + DefinitionFields.describe(o.deviceTokenRequest()) + ")");
    }
    if (o.tokenEndpointAuthMethod() != null
        && !Set.of("client_secret_basic", "client_secret_post", "none").contains(o.tokenEndpointAuthMethod())) {
      fail("field 'oauth.token_endpoint_auth_method' must be client_secret_basic, client_secret_post or none (got '"
          + o.tokenEndpointAuthMethod() + "')");
    }
    checkUrl("oauth.authorization_url", o.authorizationUrl());
    checkUrl("oauth.token_url", o.tokenUrl());
    checkUrl("oauth.revocation_url", o.revocationUrl());
    checkUrl("oauth.device_authorization_url", o.deviceAuthorizationUrl());
    checkUrl("oauth.registration_endpoint", o.registrationEndpoint());
    checkUrl("oauth.userinfo_url", o.userinfoUrl());
    checkUrl("oauth.issuer", o.issuer());
    if (o.baseUrl() != null && o.baseUrl().contains(BASE_URL_PLACEHOLDER)) {
      fail("field 'oauth.base_url' cannot itself contain {base_url} (got " + DefinitionFields.describe(o.baseUrl()) + ")");
    }
    checkUrl("oauth.base_url", o.baseUrl());
  }

  private void require(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      fail("field '" + field + "' is required for this flow but missing");
    }
  }

  private void checkApiUrl(String entry) {
    if (entry.startsWith("regex:")) {
      String regex = entry.substring("regex:".length());
      try {
        Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        fail("field 'api_url' has a regex that does not compile (got " + DefinitionFields.describe(entry) + ")");
      }
      if (!isAnchoredToDomain(regex)) {
        fail("field 'api_url' regex must end in a literal domain anchored at both sides, such as "
            + "'regex:(^|\\.)example\\.com$' (got " + DefinitionFields.describe(entry) + ")");
      }
    } else if (entry.contains("://") || entry.startsWith(BASE_URL_PLACEHOLDER)) {
      checkUrl("api_url", entry);
    } else if (!HOST.matcher(entry).matches()) {
      fail("field 'api_url' must be a host name, an https URL or a 'regex:' pattern (got " + DefinitionFields.describe(entry) + ")");
    }
  }

  /** True when {@code regex} can only match hosts under one literal domain. */
  static boolean isAnchoredToDomain(String regex) {
    return anchoredDomain(regex) != null;
  }

  /**
   * The literal domain a route pattern is anchored to ({@code googleapis.com} for {@code (^|\\.)googleapis\\.com$}),
   * or null when the pattern is not safely anchored. Inline flag groups ({@code (?x)} turns {@code #} into a comment
   * and the anchor into dead text), {@code \\Q} quoting and {@code #} are refused outright: they can make a pattern
   * that reads as anchored compile to one that matches any host.
   */
  static @Nullable String anchoredDomain(String regex) {
    if (regex.contains("\\Q") || regex.contains("#") || GROUP_FLAGS.matcher(regex).matches()) {
      return null;
    }
    Matcher m = ANCHORED_REGEX.matcher(regex);
    if (!m.matches()) {
      return null;
    }
    // an alternation outside any group would let another branch escape the anchor
    String prefix = m.group(1);
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        return null;
      }
    }
    if (depth != 0 || inClass) {
      return null;
    }
    return m.group(3).replace("\\.", ".").toLowerCase(java.util.Locale.ROOT);
  }

  /** Null passes; {@code {base_url}} templates pass; else https, or http only on a loopback host. */
  void checkUrl(String field, @Nullable String value) {
    if (value == null || value.startsWith(BASE_URL_PLACEHOLDER)) {
      return;
    }
    String problem = urlProblem(value);
    if (problem != null) {
      fail("field '" + field + "' " + problem + " (got " + DefinitionFields.describe(value) + ")");
    }
  }

  static @Nullable String urlProblem(String value) {
    URI uri;
    try {
      uri = new URI(value.replace(BASE_URL_PLACEHOLDER, "base-url.invalid"));
    } catch (URISyntaxException e) {
      return "is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return "must be an absolute https URL with a host";
    }
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
      return null;
    }
    return "must use https (http only for 127.0.0.1, ::1 or localhost)";
  }

  private void fail(String message) {
    throw DefinitionFields.invalid(origin, message);
  }
}
