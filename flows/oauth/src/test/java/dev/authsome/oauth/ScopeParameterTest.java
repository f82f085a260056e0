package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeParameterTest {
  private static final URI BUILT = URI.create("https://slack.com/oauth/v2/authorize?team=T1&response_type=code"
      + "&client_id=abc&scope=channels%3Aread+chat%3Awrite&state=s1");

  private static Optional<OAuthConfig> oauth(Map<String, Object> extra) {
    return Optional.of(new OAuthConfig("https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access",
        null, null, null, null, null, "oauth2_form", List.of("channels:read", "chat:write"), null, true, false, false,
        "client_secret_post", Map.of(), extra));
  }

  @Test
  void rewrite_standardDefinition_leavesTheUrlAsNimbusBuiltIt() {
    assertThat(ScopeParameter.rewrite(BUILT, oauth(Map.of()), List.of("channels:read", "chat:write")))
        .isSameAs(BUILT);
    assertThat(ScopeParameter.rewrite(BUILT, Optional.empty(), List.of("x"))).isSameAs(BUILT);
  }

  @Test
  void rewrite_commaSeparatorAndUserScope_replaceOnlyTheScopeParameter() {
    URI url = ScopeParameter.rewrite(BUILT, oauth(Map.of("scope_separator", ",", "scope_parameter", "user_scope")),
        List.of("channels:read", "chat:write"));

    Map<String, List<String>> params = URLUtils.parseParameters(url.getRawQuery());
    assertThat(url.toString()).startsWith("https://slack.com/oauth/v2/authorize?");
    assertThat(params).doesNotContainKey("scope").containsEntry("user_scope", List.of("channels:read,chat:write"))
        .containsEntry("client_id", List.of("abc")).containsEntry("state", List.of("s1"))
        .containsEntry("team", List.of("T1"));
  }

  @Test
  void rewrite_plusSeparator_isSentAsASpace() {
    URI url = ScopeParameter.rewrite(BUILT, oauth(Map.of("scope_separator", "+", "scope_parameter", "scope")),
        List.of("a", "b"));
    assertThat(url).isSameAs(BUILT);
  }
}
