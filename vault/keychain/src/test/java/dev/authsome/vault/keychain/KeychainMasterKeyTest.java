package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.VaultBackends;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file backend with its master key in the real keychain ({@code vault.master_key: keychain}): the key never
 * touches the disk, rekey replaces it, and an unreachable keychain is an error naming it (no fallback).
 */
class KeychainMasterKeyTest {
  @TempDir Path home;

  @BeforeEach
  void requireSecretService() {
    SecretServiceEnvironment.require();
  }

  private Vault open(Map<String, String> environment) {
    return VaultBackends.find("file").open(new VaultContext(home, environment, Map.of("master_key", "keychain")));
  }

  @Test
  void fileVault_keepsItsMasterKeyInTheKeychain_notOnDisk() throws Exception {
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-1\"}");
      assertThat(vault.describe()).contains("keychain");
    }
    assertThat(home.resolve("vault/records.json")).exists();
    assertThat(home.resolve("vault/master.key")).doesNotExist();
    String vaultId = Files.readString(home.resolve("vault-id")).trim();
    assertThat(run("secret-tool", "search", "--all", "service", "authsome-master-key", "vault", vaultId))
        .contains("attribute.account = master-key");
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      assertThat(vault.get("profile:default:openai:connection:default")).contains("{\"api_key\":\"sk-1\"}");
    }
  }

  @Test
  void rekey_replacesTheKeyInTheKeychain_andEveryRecordStillReads() throws Exception {
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      vault.put("a", "1");
      vault.put("b", "2");
    }
    String vaultId = Files.readString(home.resolve("vault-id")).trim();
    String before = run("secret-tool", "lookup", "service", "authsome-master-key", "account", "master-key",
        "vault", vaultId);
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      vault.rekey();
    }
    String after = run("secret-tool", "lookup", "service", "authsome-master-key", "account", "master-key",
        "vault", vaultId);
    assertThat(after).isNotBlank().isNotEqualTo(before);
    assertThat(run("secret-tool", "search", "--all", "service", "authsome-master-key", "vault", vaultId))
        .doesNotContain("master-key.next");
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      assertThat(vault.get("a")).contains("1");
      assertThat(vault.get("b")).contains("2");
    }
  }

  @Test
  void keychainUnreachable_failsNamingTheKeychainAsTheKeySource_neverMintsAnotherKey() {
    try (Vault vault = open(SecretServiceEnvironment.environment())) {
      vault.put("a", "1");
    }
    Map<String, String> noBus = new HashMap<>(Map.of("PATH", "/usr/bin:/bin"));
    try (Vault vault = open(noBus)) {
      assertThatThrownBy(() -> vault.get("a"))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
          .hasMessageStartingWith("the vault's master key is kept in the OS keychain (vault.master_key: keychain),"
              + " which is unavailable: no D-Bus session bus");
      assertThatThrownBy(() -> vault.put("b", "2")).isInstanceOf(AuthsomeException.class);
    }
    assertThat(home.resolve("vault/master.key")).doesNotExist();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(20, TimeUnit.SECONDS);
    return out;
  }
}
