package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProviderDefinition.ApiKeyConfig;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one way to derive a changed definition: {@code toBuilder().build()} gives back an equal value, and each setter
 * replaces its own component and no other. Every component is checked by reflection, so a component added later
 * without a setter, or a setter wired to the wrong field, fails here.
 */
class ProviderDefinitionBuilderTest {
  private static final OAuthConfig OAUTH = new OAuthConfig("https://idp.example/authorize",
      "https://idp.example/token", "https://idp.example/revoke", "https://idp.example/device",
      "https://idp.example/register", "https://idp.example/userinfo", "https://idp.example", "oauth2_form",
      List.of("openid", "email"), "https://idp.example", true, false, true, "client_secret_basic",
      Map.of("access_type", "offline"), Map.of("scope_separator", ","));
  private static final ApiKeyConfig API_KEY =
      new ApiKeyConfig("Authorization", "Bearer", "^sk-.+$", "keys start with sk-", Map.of());
  private static final ProviderDefinition DEFINITION = new ProviderDefinition(1, "idp", "Identity Provider",
      "An identity provider", "https://idp.example/logo.png", "https://idp.example/docs", AuthType.OAUTH2, "pkce",
      OAUTH, API_KEY, Map.of("IDP_TOKEN", "access_token"), List.of("api.idp.example"), Map.of("category", "test"),
      Map.of("sources", "https://idp.example/docs"));

  @Test
  void definition_roundTripsUnchanged() {
    assertThat(DEFINITION.toBuilder().build()).isEqualTo(DEFINITION);
  }

  @Test
  void oauthConfig_roundTripsUnchanged() {
    assertThat(OAUTH.toBuilder().build()).isEqualTo(OAUTH);
  }

  @Test
  void definition_eachSetterChangesOnlyItsComponent() throws Exception {
    for (RecordComponent component : ProviderDefinition.class.getRecordComponents()) {
      Object changedValue = otherValue(component, component.getAccessor().invoke(DEFINITION));
      ProviderDefinition.Builder builder = DEFINITION.toBuilder();
      ProviderDefinition.Builder.class.getMethod(component.getName(), component.getType())
          .invoke(builder, changedValue);
      ProviderDefinition changed = builder.build();

      assertOnlyChanged(ProviderDefinition.class, DEFINITION, changed, component, changedValue);
    }
  }

  @Test
  void oauthConfig_eachSetterChangesOnlyItsComponent() throws Exception {
    for (RecordComponent component : OAuthConfig.class.getRecordComponents()) {
      Object changedValue = otherValue(component, component.getAccessor().invoke(OAUTH));
      OAuthConfig.Builder builder = OAUTH.toBuilder();
      OAuthConfig.Builder.class.getMethod(component.getName(), component.getType()).invoke(builder, changedValue);
      OAuthConfig changed = builder.build();

      assertOnlyChanged(OAuthConfig.class, OAUTH, changed, component, changedValue);
    }
  }

  @Test
  void builderCopiesAreIndependentOfTheOriginal() {
    ProviderDefinition.Builder builder = DEFINITION.toBuilder();
    ProviderDefinition first = builder.flow("device_code").build();
    ProviderDefinition second = builder.displayName("Other").build();

    assertThat(DEFINITION.flow()).isEqualTo("pkce");
    assertThat(first.displayName()).isEqualTo("Identity Provider");
    assertThat(second.flow()).isEqualTo("device_code");
    assertThat(second.displayName()).isEqualTo("Other");
  }

  @Test
  void resolvedBaseUrl_isDerivedWithTheBuilder_andKeepsEveryOtherField() {
    OAuthConfig templated = OAUTH.toBuilder().authorizationUrl("{base_url}/authorize").tokenUrl("{base_url}/token")
        .baseUrl(null).build();
    ProviderDefinition definition = DEFINITION.toBuilder().oauth(templated).apiUrls(List.of("{base_url}/api"))
        .build();

    ProviderDefinition resolved = ProviderDefinitions.resolve(definition, "https://tenant.example/");

    assertThat(resolved).isEqualTo(definition.toBuilder()
        .oauth(templated.toBuilder().authorizationUrl("https://tenant.example/authorize")
            .tokenUrl("https://tenant.example/token").baseUrl("https://tenant.example").build())
        .apiUrls(List.of("https://tenant.example/api"))
        .build());
  }

  private static <R extends Record> void assertOnlyChanged(Class<R> type, R original, R changed,
      RecordComponent set, Object expected) throws Exception {
    for (RecordComponent component : type.getRecordComponents()) {
      Object before = component.getAccessor().invoke(original);
      Object after = component.getAccessor().invoke(changed);
      if (component.getName().equals(set.getName())) {
        assertThat(after).as("%s after setting it", component.getName()).isEqualTo(expected).isNotEqualTo(before);
      } else {
        assertThat(after).as("%s after setting %s", component.getName(), set.getName()).isEqualTo(before);
      }
    }
  }

  /** A value of the component's type that differs from {@code current}. */
  private static Object otherValue(RecordComponent component, Object current) {
    Class<?> type = component.getType();
    if (type == int.class) {
      return (Integer) current + 1;
    }
    if (type == boolean.class) {
      return !(Boolean) current;
    }
    if (type == String.class) {
      return current + "-changed";
    }
    if (type == List.class) {
      return List.of("changed");
    }
    if (type == Map.class) {
      return component.getName().equals("export") || component.getName().equals("authorizeParams")
          ? Map.of("CHANGED", "changed")
          : Map.<String, Object>of("changed", "value");
    }
    if (type == AuthType.class) {
      return current == AuthType.OAUTH2 ? AuthType.API_KEY : AuthType.OAUTH2;
    }
    if (type == OAuthConfig.class) {
      return OAUTH.toBuilder().tokenUrl("https://other.example/token").build();
    }
    if (type == ApiKeyConfig.class) {
      return new ApiKeyConfig("X-Api-Key", "", null, null, Map.of());
    }
    throw new AssertionError("no changed value for component " + component + "; extend otherValue");
  }
}
