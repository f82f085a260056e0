package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileUpgradeTest {
  @TempDir Path dir;

  @Test
  void fileWithoutFormat_withDottedKeys_readsLikeNestedFormat1() throws Exception {
    Path flat = Files.writeString(dir.resolve("flat.yaml"), "vault.backend: memory\noauth.callback_port: 9000\n");
    Path nested = Files.writeString(dir.resolve("nested.yaml"),
        "format: 1\nvault:\n  backend: memory\noauth:\n  callback_port: 9000\n");
    assertThat(ConfigFile.read(flat)).isEqualTo(ConfigFile.read(nested))
        .containsEntry("vault.backend", "memory").containsEntry("oauth.callback_port", "9000");
  }

  @Test
  void newerFormat_isRefusedSayingToUpgrade() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "format: 2\n");
    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOfSatisfying(AuthsomeException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
      assertThat(e.getMessage()).contains("format 2").contains("upgrade authsome");
    });
  }

  @Test
  void brokenYaml_isUsageErrorNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "vault: [unclosed\n");
    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOfSatisfying(AuthsomeException.class,
        e -> assertThat(e.getMessage()).contains(file.toString()));
  }

  @Test
  void defaultContent_isFormat1AndReadable() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), ConfigFile.DEFAULT_CONTENT);
    assertThat(ConfigFile.read(file)).containsEntry("vault.backend", "file").doesNotContainKey("format");
  }
}
