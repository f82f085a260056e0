package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import dev.authsome.vault.tck.VaultContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS code path, with the OS boundary faked ({@link FakeSecurityTool} in place of {@code /usr/bin/security}):
 * the vault contract kit, plus what is specific to the platform. Not exercised on a real Mac.
 */
class MacKeychainVaultContractTest extends VaultContract {
  private final FakeSecurityTool security = new FakeSecurityTool();

  @TempDir Path ownHome;

  @Override
  protected Vault openVault(Path home) {
    String vaultId = VaultId.readOrCreate(home);
    return new KeychainVault(new MacKeychainStore(security, "authsome", vaultId),
        new BlobFiles(home.resolve("vault/keychain-blobs")), new FileLocks(home.resolve("vault/locks")));
  }

  @Override
  protected void damageRecord(Path home, String key) {
    String vaultId = VaultId.readOrCreate(home);
    var id = List.of("authsome:" + vaultId, MacKeychainStore.encode(key));
    var item = security.items.get(id);
    security.items.put(id, new FakeSecurityTool.Item(item.label(), item.generic(), "%%% not base64 %%%"));
  }

  @Test
  void secretsNeverAppearOnACommandLine_andGoThroughStdinOfSecurityDashI() {
    try (Vault vault = openVault(ownHome)) {
      vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-secret-value\"}");
      assertThat(vault.get("profile:default:openai:connection:default")).contains("{\"api_key\":\"sk-secret-value\"}");
    }
    assertThat(security.commands).isNotEmpty().allSatisfy(command ->
        assertThat(String.join(" ", command)).doesNotContain("sk-secret-value").doesNotContain("c2stc2VjcmV0"));
    assertThat(security.commands).contains(List.of(MacKeychainStore.SECURITY, "-i"));
  }

  @Test
  void itemsUseServiceAuthsomeWithTheVaultId_accountTheRecordKey_andTheVaultAsGenericAttribute() throws Exception {
    try (Vault vault = openVault(ownHome)) {
      vault.put("profile:default:github:connection:work", "v");
    }
    String vaultId = Files.readString(ownHome.resolve("vault-id")).trim();
    var item = security.items.get(List.of("authsome:" + vaultId, "profile:default:github:connection:work"));
    assertThat(item.label()).isEqualTo("authsome: profile:default:github:connection:work");
    assertThat(item.generic()).isEqualTo(vaultId);
  }

  @Test
  void valueOverTheItemLimit_isKeptInAnEncryptedBlob_andTheItemHoldsOnlyItsReference() {
    String large = "x".repeat(MacKeychainStore.MAX_VALUE_BYTES + 1);
    try (Vault vault = openVault(ownHome)) {
      vault.put("big", large);
      assertThat(vault.get("big")).contains(large);
    }
    assertThat(security.items.values()).singleElement()
        .satisfies(item -> assertThat(new String(java.util.Base64.getDecoder().decode(item.password())))
            .startsWith(BlobFiles.MARKER));
  }

  @Test
  void lockedKeychain_failsWithVaultUnavailableSayingHowToUnlock() {
    try (Vault vault = openVault(ownHome)) {
      security.locked = true;
      assertThatThrownBy(() -> vault.get("k"))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
          .hasMessageStartingWith("the macOS keychain is locked")
          .hasMessageContaining("security unlock-keychain");
    }
  }
}
