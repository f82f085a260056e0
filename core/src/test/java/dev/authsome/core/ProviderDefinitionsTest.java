package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.ProviderDefinitions.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderDefinitionsTest {
  private static final Set<String> FLOWS = ProviderDefinitions.BUILTIN_FLOWS;

  static String resource(String name) {
    try (InputStream in = ProviderDefinitionsTest.class.getResourceAsStream("/providers/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static ProviderDefinition yaml(String text) {
    return ProviderDefinitions.parse(text, Format.YAML, "test.yaml");
  }

  static final String OPENAI_YAML = """
      name: openai
      display_name: OpenAI
      auth_type: api_key
      flow: api_key
      api_key: {header_name: Authorization, header_prefix: Bearer, key_pattern: '^sk-[A-Za-z0-9_-]{20,}$'}
      api_url: api.openai.com
      """;

  @Test
  void pythonEraGithubJson_loadsUnchanged_withOldFieldNamesMapped() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/github.json"), Format.JSON, "github.json");

    assertThat(d.name()).isEqualTo("github");
    assertThat(d.authType()).isEqualTo(AuthType.OAUTH2);
    assertThat(d.apiUrls()).containsExactly("api.github.com");
    assertThat(d.docsUrl()).startsWith("https://docs.github.com/");
    assertThat(d.export()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "GITHUB_ACCESS_TOKEN", "access_token", "GITHUB_REFRESH_TOKEN", "refresh_token"));
    assertThat(d.oauth().supportsDeviceFlow()).isTrue();
    assertThat(d.oauth().scopes()).containsExactly("repo", "read:user");
    assertThat(d.oauth().deviceTokenRequest()).isEqualTo("oauth2_form");
    assertThat(d.extra()).isEmpty();
    ProviderDefinitions.validate(d, "github.json", FLOWS);
  }

  @Test
  void pythonEraOpenAiJson_keepsUnknownApiKeyField_andValidates() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/openai.json"), Format.JSON, "openai.json");

    assertThat(d.apiKey().keyPattern()).isEqualTo("^sk-[A-Za-z0-9_-]{20,}$");
    assertThat(d.apiKey().extra()).containsEntry("env_var", "OPENAI_API_KEY");
    assertThat(d.export()).containsExactly(Map.entry("OPENAI_API_KEY", "api_key"));
    ProviderDefinitions.validate(d, "openai.json", FLOWS);
  }

  @Test
  void eraCJsonWithComments_flatUpperCaseExport_andNullPrefix_areRead() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/figma-era-c.json"), Format.JSON, "f.json");

    assertThat(d.export()).containsExactlyInAnyOrderEntriesOf(Map.of("FIGMA_API_KEY", "api_key", "FIGMA_TOKEN",
        "api_key"));
    assertThat(d.apiKey().headerPrefix()).isEmpty();
    assertThat(d.extra()).containsEntry("type", "app");
    assertThat(d.logo()).isEqualTo("https://img.logo.dev/name/figma");
  }

  @Test
  void eraCRegistrationBlock_andSupportsDeviceCode_mapToOAuthFields() {
    ProviderDefinition d = yaml("""
        name: linear
        display_name: Linear
        auth_type: oauth2
        flow: dcr_pkce
        oauth: {authorization_url: 'https://mcp.linear.app/authorize', token_url: 'https://mcp.linear.app/token',
                supports_device_code: false, supports_dcr: true}
        registration: {registration_endpoint: 'https://mcp.linear.app/register'}
        """);

    assertThat(d.oauth().registrationEndpoint()).isEqualTo("https://mcp.linear.app/register");
    assertThat(d.oauth().supportsDcr()).isTrue();
    assertThat(d.extra()).doesNotContainKey("registration");
  }

  @Test
  void newerYaml_roundTripsThroughYamlJsonAndMap_keepingUnknownFields() {
    ProviderDefinition d = yaml(resource("github.yaml"));
    assertThat(d.extra()).containsEntry("future_top_field", "kept");
    assertThat(d.oauth().extra()).containsKey("future_oauth_field");
    assertThat(d.oauth().authorizeParams()).containsEntry("allow_signup", "false");
    ProviderDefinitions.validateBundled(d, "github.yaml", FLOWS);

    assertThat(yaml(ProviderDefinitions.toYaml(d))).isEqualTo(d);
    assertThat(ProviderDefinitions.parse(ProviderDefinitions.toJson(d), Format.JSON, "x")).isEqualTo(d);
    assertThat(ProviderDefinitions.fromMap(ProviderDefinitions.toMap(d), "x")).isEqualTo(d);
  }

  @Test
  void pythonEraDefinition_isWrittenWithNewerNames_andReadsBackEqual() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/github.json"), Format.JSON, "g.json");

    Map<String, Object> written = ProviderDefinitions.toMap(d);
    assertThat(written).containsKeys("api_url", "docs_url").doesNotContainKeys("host_url", "docs");
    assertThat(written.get("api_url")).isEqualTo(List.of("api.github.com"));
    assertThat(written.get("export")).isEqualTo(Map.of("GITHUB_ACCESS_TOKEN", "access_token",
        "GITHUB_REFRESH_TOKEN", "refresh_token"));
    assertThat(yaml(ProviderDefinitions.toYaml(d))).isEqualTo(d);
  }

  @Test
  void yamlWriter_quotesValuesThatWouldOtherwiseChangeType() {
    ProviderDefinition d = yaml(OPENAI_YAML + "metadata: {a: 'true', b: '1', c: 'null', d: '{base_url}', e: '- x'}\n");

    assertThat(yaml(ProviderDefinitions.toYaml(d))).isEqualTo(d);
  }

  @Test
  void read_choosesFormatByExtension(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("openai.yml");
    Files.writeString(file, OPENAI_YAML);
    assertThat(ProviderDefinitions.read(file).name()).isEqualTo("openai");

    Path other = dir.resolve("openai.txt");
    Files.writeString(other, OPENAI_YAML);
    assertThatThrownBy(() -> ProviderDefinitions.read(other)).isInstanceOf(AuthsomeException.class)
        .hasMessageContaining("openai.txt");
  }

  @Test
  void effectiveExport_defaultsToNameBasedVariables() {
    ProviderDefinition d = yaml(OPENAI_YAML.replace("name: openai", "name: my-api.v2"));
    assertThat(ProviderDefinitions.effectiveExport(d)).containsExactly(Map.entry("MY_API_V2_API_KEY", "api_key"));
  }

  @Test
  void resolve_replacesBaseUrlEverywhere_strippingTrailingSlash() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/github.json"), Format.JSON, "g.json");
    d = new ProviderDefinition(d.schemaVersion(), d.name(), d.displayName(), d.description(), d.logo(), d.docsUrl(),
        d.authType(), d.flow(), d.oauth(), d.apiKey(), d.export(), List.of("{base_url}/api/v3"), d.metadata(),
        d.extra());

    ProviderDefinition r = ProviderDefinitions.resolve(d, "https://ghe.example.com/");

    assertThat(r.oauth().authorizationUrl()).isEqualTo("https://ghe.example.com/login/oauth/authorize");
    assertThat(r.oauth().deviceAuthorizationUrl()).isEqualTo("https://ghe.example.com/login/device/code");
    assertThat(r.oauth().baseUrl()).isEqualTo("https://ghe.example.com");
    assertThat(r.apiUrls()).containsExactly("https://ghe.example.com/api/v3");
    assertThat(ProviderDefinitions.resolve(d, null).oauth().tokenUrl())
        .isEqualTo("https://github.com/login/oauth/access_token");
  }

  @Test
  void resolve_refusesPlainHttpBase_andMissingBase() {
    ProviderDefinition d = ProviderDefinitions.parse(resource("python-era/github.json"), Format.JSON, "g.json");
    assertThatThrownBy(() -> ProviderDefinitions.resolve(d, "http://ghe.example.com"))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessageContaining("http://ghe.example.com");
    assertThat(ProviderDefinitions.resolve(d, "http://127.0.0.1:8080").oauth().tokenUrl())
        .isEqualTo("http://127.0.0.1:8080/login/oauth/access_token");

    ProviderDefinition noBase = yaml(resource("github.yaml").replace("https://github.com/login/oauth/authorize",
        "'{base_url}/login/oauth/authorize'"));
    assertThatThrownBy(() -> ProviderDefinitions.resolve(noBase, null)).hasMessageContaining("--base-url");
  }

  @Test
  void validate_rejectsUnsafeNames() {
    for (String name : List.of("../evil", "a/b", ".hidden", "a..b", "-x", "a b", "a\\b")) {
      ProviderDefinition d = yaml(OPENAI_YAML.replace("name: openai", "name: '" + name.replace("'", "''") + "'"));
      assertInvalid(d, "'name'", name);
    }
  }

  @Test
  void validate_rejectsFlowThatDoesNotFitAuthType_butAcceptsInstalledThirdPartyFlow() {
    ProviderDefinition wrong = yaml(OPENAI_YAML.replace("flow: api_key", "flow: pkce"));
    assertInvalid(wrong, "'flow'", "pkce");

    ProviderDefinition thirdParty = yaml(resource("github.yaml").replace("flow: pkce", "flow: saml_bridge"));
    assertInvalid(thirdParty, "'flow'", "saml_bridge");
    ProviderDefinitions.validate(thirdParty, "x", Set.of("pkce", "saml_bridge"));
  }

  @Test
  void parse_rejectsUnknownAuthType_namingFileFieldAndValue() {
    assertThatThrownBy(() -> yaml(OPENAI_YAML.replace("auth_type: api_key", "auth_type: browser")))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER))
        .hasMessageContaining("test.yaml").hasMessageContaining("auth_type").hasMessageContaining("browser");
  }

  @Test
  void validate_requiresTheSectionsTheFlowNeeds() {
    String github = resource("github.yaml");
    assertInvalid(yaml(github.replace("  token_url: https://github.com/login/oauth/access_token\n", "")),
        "oauth.token_url", "missing");
    assertInvalid(yaml(github.replace("flow: pkce", "flow: device_code")
        .replace("  device_authorization_url: https://github.com/login/device/code\n", "")
        .replace("supports_device_flow: true", "supports_device_flow: false")), "oauth.device_authorization_url",
        "missing");
    assertInvalid(yaml(github.replace("  device_authorization_url: https://github.com/login/device/code\n", "")),
        "supports_device_flow", "device_authorization_url");
    assertInvalid(yaml("name: x\ndisplay_name: X\nauth_type: oauth2\n"), "'oauth'", "section");
    assertInvalid(yaml("name: x\ndisplay_name: X\nauth_type: api_key\n"), "'api_key'", "section");
  }

  @Test
  void validate_requiresHttpsExceptOnLoopback() {
    String github = resource("github.yaml");
    assertInvalid(yaml(github.replace("https://github.com/login/oauth/access_token",
        "http://github.com/login/oauth/access_token")), "oauth.token_url", "http://github.com/login/oauth/access_token");
    for (String host : List.of("127.0.0.1:8080", "[::1]:9000", "localhost")) {
      ProviderDefinitions.validate(yaml(github.replace("https://github.com/login/oauth/access_token",
          "'http://" + host + "/token'")), "x", FLOWS);
    }
    assertInvalid(yaml(github.replace("https://github.com/login/oauth/authorize", "ftp://github.com/x")),
        "oauth.authorization_url", "ftp://github.com/x");
    ProviderDefinitions.validate(yaml(github.replace("https://github.com/login/oauth/authorize",
        "'{base_url}/authorize'")), "x", FLOWS);
  }

  @Test
  void validate_acceptsOnlyRegexRoutesAnchoredToALiteralDomain() {
    for (String ok : List.of("(^|\\.)googleapis\\.com$", "^api\\.example\\.com$", ".*\\.googleapis\\.com$",
        "^[a-z0-9-]+\\.api\\.mailchimp\\.com$", "(?:^|\\.)x\\.com$")) {
      ProviderDefinitions.validate(yaml(OPENAI_YAML.replace("api_url: api.openai.com",
          "api_url: ['regex:" + ok + "']")), "x", FLOWS);
    }
    for (String bad : List.of(".*googleapis.*", ".*githubusercontent\\.com$", "googleapis\\.com",
        "(^|\\.)com$", ".*|(^|\\.)x\\.com$", "(^|\\.)x\\.com", "[",
        "(?x).*#(^|\\.)example\\.com$", "\\Q.*\\E(^|\\.)example\\.com$", "(?i)(^|\\.)example\\.com$")) {
      assertInvalid(yaml(OPENAI_YAML.replace("api_url: api.openai.com", "api_url: ['regex:" + bad + "']")),
          "api_url", bad);
    }
  }

  @Test
  void validate_rejectsBadKeyPatternsEnvNamesAndHosts() {
    assertInvalid(yaml(OPENAI_YAML.replace("^sk-[A-Za-z0-9_-]{20,}$", "^sk-[")), "key_pattern", "^sk-[");
    assertInvalid(yaml(OPENAI_YAML + "export: {openai-key: api_key}\n"), "export", "openai-key");
    assertInvalid(yaml(OPENAI_YAML.replace("api_url: api.openai.com", "api_url: 'http://api.openai.com'")),
        "api_url", "http://api.openai.com");
    assertInvalid(yaml(OPENAI_YAML.replace("api_url: api.openai.com", "api_url: 'api openai'")), "api_url",
        "api openai");
    assertThatThrownBy(() -> yaml(OPENAI_YAML + "export: {OPENAI: password}\n"))
        .hasMessageContaining("export.OPENAI").hasMessageContaining("password");
  }

  @Test
  void validateBundled_requiresDocsUrl() {
    ProviderDefinition d = yaml(OPENAI_YAML);
    ProviderDefinitions.validate(d, "x", FLOWS);
    assertInvalid(() -> ProviderDefinitions.validateBundled(d, "test.yaml", FLOWS), "docs_url", "required");
  }

  @Test
  void validateBundled_requiresSources_andAnExplicitAuthMethodForOAuth() {
    ProviderDefinition key = yaml(OPENAI_YAML + "docs_url: https://platform.openai.com/docs\n");
    assertInvalid(() -> ProviderDefinitions.validateBundled(key, "test.yaml", FLOWS), "sources", "required");
    ProviderDefinitions.validateBundled(yaml(OPENAI_YAML + "docs_url: https://platform.openai.com/docs\n"
        + "sources: [https://platform.openai.com/docs/api-reference/authentication]\n"), "test.yaml", FLOWS);
    ProviderDefinition oauth = yaml(SCOPED_YAML.replace("  token_endpoint_auth_method: client_secret_post\n", ""));
    ProviderDefinitions.validate(oauth, "custom.yaml", FLOWS);
    assertInvalid(() -> ProviderDefinitions.validateBundled(oauth, "test.yaml", FLOWS),
        "oauth.token_endpoint_auth_method");
  }

  static final String SCOPED_YAML = """
      name: chatty
      display_name: Chatty
      docs_url: https://chatty.example/docs
      sources: [https://chatty.example/docs/oauth]
      notes: scopes per the docs
      auth_type: oauth2
      flow: pkce
      oauth:
        authorization_url: https://chatty.example/oauth/authorize
        token_url: https://chatty.example/oauth/token
        scopes: [chat:read, chat:write, files:read]
        scope_separator: ','
        scope_parameter: user_scope
        device_scopes: [chat:read]
        client_secret_required: true
        token_endpoint_auth_method: client_secret_post
      api_url: api.chatty.example
      """;

  @Test
  void scopeFields_readWithTheirDefaults_andRoundTrip() {
    ProviderDefinition d = yaml(SCOPED_YAML);
    ProviderDefinitions.validateBundled(d, "chatty.yaml", FLOWS);
    assertThat(d.sources()).containsExactly("https://chatty.example/docs/oauth");
    assertThat(d.notes()).contains("scopes per the docs");
    assertThat(d.oauth().joinScopes(d.oauth().scopes())).isEqualTo("chat:read,chat:write,files:read");
    assertThat(d.oauth().scopeParameter()).isEqualTo("user_scope");
    assertThat(d.oauth().deviceScopes()).containsExactly("chat:read");
    assertThat(d.oauth().clientSecretRequired()).isTrue();
    assertThat(yaml(ProviderDefinitions.toYaml(d))).isEqualTo(d);

    ProviderDefinition plain = yaml(OPENAI_YAML);
    assertThat(plain.sources()).isEmpty();
    assertThat(plain.notes()).isEmpty();
    ProviderDefinition.OAuthConfig bare = yaml(SCOPED_YAML.replaceAll("(?m)^  (scope_separator|scope_parameter|"
        + "device_scopes|client_secret_required):.*\n", "")).oauth();
    assertThat(bare.joinScopes(List.of("a", "b"))).isEqualTo("a b");
    assertThat(bare.scopeParameter()).isEqualTo("scope");
    assertThat(bare.deviceScopes()).isEqualTo(bare.scopes());
    assertThat(bare.clientSecretRequired()).isFalse();
    assertThat(yaml(SCOPED_YAML.replace("scope_separator: ','", "scope_separator: '+'")).oauth()
        .joinScopes(List.of("a", "b"))).as("+ is a form-encoded space").isEqualTo("a b");
  }

  @Test
  void scopeFields_withBadValues_areRefusedNamingTheField() {
    assertInvalid(yaml(SCOPED_YAML.replace("scope_separator: ','", "scope_separator: ';'")),
        "oauth.scope_separator", "';'");
    assertInvalid(yaml(SCOPED_YAML.replace("scope_parameter: user_scope", "scope_parameter: 'a b'")),
        "oauth.scope_parameter");
    assertInvalid(yaml(SCOPED_YAML.replace("device_scopes: [chat:read]", "device_scopes: {a: b}")),
        "oauth.device_scopes");
    assertInvalid(yaml(SCOPED_YAML.replace("client_secret_required: true", "client_secret_required: 'yes'")),
        "oauth.client_secret_required");
    assertInvalid(yaml(SCOPED_YAML.replace("sources: [https://chatty.example/docs/oauth]",
        "sources: [http://chatty.example/docs]")), "sources", "https");
    assertInvalid(yaml(SCOPED_YAML.replace("notes: scopes per the docs", "notes: [a]")), "notes");
  }

  @Test
  void parse_refusesYamlBombsDeepNestingAndHugeDocuments() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      bomb.append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [");
      bomb.append(("*" + (char) ('a' + i - 1) + ", ").repeat(8)).append('*').append((char) ('a' + i - 1));
      bomb.append("]\n");
    }
    assertThatThrownBy(() -> yaml(bomb.toString())).isInstanceOf(AuthsomeException.class);
    assertThatThrownBy(() -> yaml("a: " + "[".repeat(5000) + "]".repeat(5000)))
        .isInstanceOf(AuthsomeException.class);
    assertThatThrownBy(() -> ProviderDefinitions.parse("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
        Format.JSON, "x")).isInstanceOf(AuthsomeException.class);
    String huge = OPENAI_YAML + "description: '" + "x".repeat(ProviderDefinitions.MAX_DOCUMENT_BYTES) + "'\n";
    assertThatThrownBy(() -> yaml(huge)).isInstanceOf(AuthsomeException.class).hasMessageContaining("larger");
  }

  @Test
  void parse_refusesDuplicateKeysAndNonMappings() {
    assertThatThrownBy(() -> yaml(OPENAI_YAML + "name: other\n")).isInstanceOf(AuthsomeException.class)
        .hasMessageContaining("test.yaml");
    assertThatThrownBy(() -> yaml("- a\n- b\n")).hasMessageContaining("mapping");
    assertThatThrownBy(() -> yaml("")).isInstanceOf(AuthsomeException.class);
    assertThatThrownBy(() -> yaml(OPENAI_YAML.replace("display_name: OpenAI", "display_name: [1]")))
        .hasMessageContaining("display_name");
  }

  private static void assertInvalid(ProviderDefinition d, String... fragments) {
    assertInvalid(() -> ProviderDefinitions.validate(d, "test.yaml", FLOWS), fragments);
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... fragments) {
    assertThatThrownBy(call).isInstanceOfSatisfying(AuthsomeException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER);
      assertThat(e.getMessage()).contains("test.yaml").contains(fragments).doesNotContain("\n");
    });
  }
}
