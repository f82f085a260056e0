package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void precedence_isFlagThenEnvironmentThenConfigThenDefault() {
    Map<String, String> config = Map.of("vault.backend", "file", "oauth.callback_port", "9000");
    assertThat(Settings.resolve(Map.of(), Map.of(), Map.of()).vaultBackend()).isEqualTo("file");
    assertThat(Settings.resolve(Map.of(), Map.of(), Map.of("vault.backend", "memory")).vaultBackend())
        .isEqualTo("memory");
    assertThat(Settings.resolve(Map.of(), Map.of("AUTHSOME_VAULT", "keychain"), config).vaultBackend())
        .isEqualTo("keychain");
    Settings s = Settings.resolve(Map.of("vault.backend", "memory"), Map.of("AUTHSOME_VAULT", "keychain"), config);
    assertThat(s.vaultBackend()).isEqualTo("memory");
    assertThat(s.origins()).containsEntry("vault.backend", "flag").containsEntry("oauth.callback_port", "config.yaml");
    assertThat(s.callbackPort()).isEqualTo(9000);
    assertThat(Settings.resolve(Map.of(), Map.of("AUTHSOME_CALLBACK_PORT", "7000"), config).callbackPort())
        .isEqualTo(7000);
  }

  @Test
  void defaults_port7998_timeout300_noFixedMargin() {
    Settings s = Settings.resolve(Map.of(), Map.of(), Map.of());
    assertThat(s.callbackPort()).isEqualTo(7998);
    assertThat(s.loginTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(s.refreshMargin()).isEmpty();
  }

  @Test
  void vaultSettings_arePassedToTheBackendWithoutPrefix() {
    Settings s = Settings.resolve(Map.of(), Map.of(), Map.of("vault.master_key", "/k"));
    assertThat(s.vaultSettings()).containsEntry("master_key", "/k");
  }

  @Test
  void badNumber_isUsageErrorNamingValueAndSource() {
    assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("AUTHSOME_CALLBACK_PORT", "abc"), Map.of()))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("'abc'").contains("AUTHSOME_CALLBACK_PORT");
        });
  }

  @Test
  void callbackPort0_isRefused_namingTheVariableAndTheRange() {
    assertThatThrownBy(() -> Settings.resolve(Map.of(), Map.of("AUTHSOME_CALLBACK_PORT", "0"), Map.of()))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("'0'").contains("AUTHSOME_CALLBACK_PORT").contains("between 1 and 65535");
        });
  }
}
