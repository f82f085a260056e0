package dev.authsome.core;

import static dev.authsome.core.EngineFixtures.catalogue;
import static dev.authsome.core.EngineFixtures.flows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.EngineFixtures.KeyFlow;
import dev.authsome.core.EngineFixtures.MapVault;
import dev.authsome.core.ProviderDefinition.ApiKeyConfig.BasicAuth;
import dev.authsome.core.ProviderDefinitions.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP Basic with the API key as the password ({@code api_key.basic_auth: password}), as lemlist
 * (https://developer.lemlist.com/api-reference/getting-started/authentication: empty user name, key as password) and
 * Mailchimp (https://mailchimp.com/developer/marketing/docs/fundamentals/#api-structure: "anystring" as user name)
 * want it, next to the older {@code header_prefix: Basic} (key as user name, empty password, as Ashby wants).
 */
class ApiKeyBasicAuthTest {
  static final String LEMLIST = """
      schema_version: 1
      name: lemlist
      display_name: Lemlist
      docs_url: https://developer.lemlist.com/api-reference/getting-started/authentication
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: Authorization
        header_prefix: Basic
        basic_auth: password
      api_url: [api.lemlist.com]
      """;

  static final String MAILCHIMP = """
      schema_version: 1
      name: mailchimp
      display_name: Mailchimp
      docs_url: https://mailchimp.com/developer/marketing/docs/fundamentals/
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: Authorization
        header_prefix: Basic
        basic_auth: password
        basic_username: anystring
      api_url: ['regex:(^|\\.)api\\.mailchimp\\.com$']
      """;

  static final String ASHBY = """
      name: ashby
      display_name: Ashby
      auth_type: api_key
      api_key: {header_name: Authorization, header_prefix: Basic}
      """;

  @TempDir Path home;

  static ProviderDefinition yaml(String text) {
    return ProviderDefinitions.validate(ProviderDefinitions.parse(text, Format.YAML, "test.yaml"), "test.yaml",
        ProviderDefinitions.BUILTIN_FLOWS);
  }

  static String decodeBasic(String headerValue) {
    assertThat(headerValue).startsWith("Basic ");
    return new String(Base64.getDecoder().decode(headerValue.substring("Basic ".length())), StandardCharsets.UTF_8);
  }

  @Test
  void lemlist_sendsTheKeyAsPasswordWithAnEmptyUserName() {
    ProviderDefinition.ApiKeyConfig config = yaml(LEMLIST).apiKey();

    assertThat(config.basicAuth()).contains(BasicAuth.PASSWORD);
    assertThat(decodeBasic(config.headerValue("lem-key-123"))).isEqualTo(":lem-key-123");
  }

  @Test
  void mailchimp_sendsAnystringAsUserNameAndTheKeyAsPassword() {
    ProviderDefinition.ApiKeyConfig config = yaml(MAILCHIMP).apiKey();

    assertThat(decodeBasic(config.headerValue("0123abcd-us21"))).isEqualTo("anystring:0123abcd-us21");
  }

  @Test
  void headerPrefixBasicAlone_keepsTheKeyAsUserNameWithAnEmptyPassword() {
    ProviderDefinition.ApiKeyConfig config = yaml(ASHBY).apiKey();

    assertThat(config.basicAuth()).contains(BasicAuth.USERNAME);
    assertThat(decodeBasic(config.headerValue("ashby-key"))).isEqualTo("ashby-key:");
  }

  @Test
  void bearerAndRawPrefixes_areUnchanged() {
    ProviderDefinition.ApiKeyConfig bearer = new ProviderDefinition.ApiKeyConfig("Authorization", "Bearer", null,
        null, Map.of());
    ProviderDefinition.ApiKeyConfig raw = new ProviderDefinition.ApiKeyConfig("X-Api-Key", "", null, null, Map.of());

    assertThat(bearer.basicAuth()).isEmpty();
    assertThat(bearer.headerValue("k1")).isEqualTo("Bearer k1");
    assertThat(raw.headerValue("k2")).isEqualTo("k2");
  }

  @Test
  void basicAuthFields_roundTripThroughTheWriterInBothFormats() {
    ProviderDefinition original = yaml(MAILCHIMP);

    ProviderDefinition fromYaml = ProviderDefinitions.parse(ProviderDefinitions.toYaml(original), Format.YAML, "w");
    ProviderDefinition fromJson = ProviderDefinitions.parse(ProviderDefinitions.toJson(original), Format.JSON, "w");

    assertThat(fromYaml).isEqualTo(original);
    assertThat(fromJson).isEqualTo(original);
    assertThat(ProviderDefinitions.toYaml(original)).contains("basic_auth: password")
        .contains("basic_username: anystring");
  }

  @Test
  void validation_rejectsAnUnknownBasicAuthMode_namingTheField() {
    assertThatThrownBy(() -> yaml(LEMLIST.replace("basic_auth: password", "basic_auth: both")))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER);
          assertThat(e.getMessage()).contains("api_key.basic_auth").contains("'both'");
        });
  }

  @Test
  void validation_rejectsAUserNameWithAColon_orWithoutPasswordMode() {
    assertThatThrownBy(() -> yaml(MAILCHIMP.replace("basic_username: anystring", "basic_username: 'a:b'")))
        .hasMessageContaining("api_key.basic_username").hasMessageContaining("'a:b'");
    assertThatThrownBy(() -> yaml(MAILCHIMP.replace("basic_auth: password", "basic_auth: username")))
        .hasMessageContaining("api_key.basic_username").hasMessageContaining("basic_auth: password");
  }

  @Test
  void engineAuthHeaders_forAStoredKey_useBasicWithTheKeyAsPassword() {
    try (Authsome engine = Authsome.builder().home(home).environment(Map.of()).vault(new MapVault())
        .catalogue(catalogue(yaml(LEMLIST), yaml(MAILCHIMP)))
        .flows(flows(new KeyFlow()))
        .input(request -> Map.of("api_key", Secret.of("sk-mail-key-us21")))
        .build()) {
      engine.login(LoginRequest.of("mailchimp"));

      Map<String, Secret> headers = engine.authHeaders("mailchimp", null);

      assertThat(headers).containsOnlyKeys("Authorization");
      assertThat(decodeBasic(headers.get("Authorization").reveal())).isEqualTo("anystring:sk-mail-key-us21");
    }
  }
}
