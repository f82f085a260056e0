package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path root;

  @Test
  void set_onAFreshHome_writesTheDefaultsWithTheValue() {
    Home home = new Home(root);
    ConfigFile.set(home, "vault.master_key", "keychain");
    assertThat(ConfigFile.read(home.configFile()))
        .containsEntry("vault.master_key", "keychain")
        .containsEntry("vault.backend", "file");
  }

  @Test
  void set_replacesANestedValue_andKeepsCommentsAndOtherKeys() throws Exception {
    Home home = new Home(root);
    Files.writeString(home.configFile(), """
        # mine
        format: 1
        vault:
          backend: file   # the default
          master_key: file
        oauth:
          callback_port: 8000
        """);
    ConfigFile.set(home, "vault.backend", "keychain");
    String text = Files.readString(home.configFile());
    assertThat(text).contains("# mine").contains("  backend: keychain").contains("callback_port: 8000");
    assertThat(ConfigFile.read(home.configFile()))
        .containsEntry("vault.backend", "keychain")
        .containsEntry("vault.master_key", "file")
        .containsEntry("oauth.callback_port", "8000");
  }

  @Test
  void set_addsAKeyToAnExistingSection_orTheSectionItself() throws Exception {
    Home home = new Home(root);
    Files.writeString(home.configFile(), "format: 1\noauth:\n  callback_port: 8000\n");
    ConfigFile.set(home, "vault.backend", "keychain");
    ConfigFile.set(home, "oauth.login_timeout_seconds", "60");
    assertThat(ConfigFile.read(home.configFile()))
        .containsEntry("vault.backend", "keychain")
        .containsEntry("oauth.callback_port", "8000")
        .containsEntry("oauth.login_timeout_seconds", "60");
  }

  @Test
  void set_onAFlowStyleFile_rewritesItFromItsContent() throws Exception {
    Home home = new Home(root);
    Files.writeString(home.configFile(), "{format: 1, vault: {backend: file}, oauth: {callback_port: 8000}}\n");
    ConfigFile.set(home, "vault.backend", "keychain");
    assertThat(ConfigFile.read(home.configFile()))
        .containsEntry("vault.backend", "keychain")
        .containsEntry("oauth.callback_port", "8000");
  }
}
