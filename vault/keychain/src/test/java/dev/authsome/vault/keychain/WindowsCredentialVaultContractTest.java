package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.Vault;
import dev.authsome.vault.tck.VaultContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Windows code path, with the OS boundary faked ({@link FakeCredentialApi} in place of advapi32): the vault
 * contract kit, plus the 2560-byte blob limit. Not exercised on real Windows.
 */
class WindowsCredentialVaultContractTest extends VaultContract {
  private final FakeCredentialApi api = new FakeCredentialApi();

  @TempDir Path ownHome;

  @Override
  protected Vault openVault(Path home) {
    return new KeychainVault(new WindowsCredentialStore(api, "authsome", VaultId.readOrCreate(home)),
        new BlobFiles(home.resolve("vault/keychain-blobs")), new FileLocks(home.resolve("vault/locks")));
  }

  @Override
  protected void damageRecord(Path home, String key) {
    api.credentials.put("authsome:" + VaultId.readOrCreate(home) + ":" + key, new FakeCredentialApi.Credential(key,
        "damaged", (BlobFiles.MARKER + "garbage").getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void valuesUpToTheBlobLimitStayInTheCredential_largerOnesGoToAnEncryptedBlob() throws Exception {
    String fits = "a".repeat(CredentialApi.MAX_BLOB_BYTES);
    String tooLarge = "b".repeat(CredentialApi.MAX_BLOB_BYTES + 1);
    try (Vault vault = openVault(ownHome)) {
      vault.put("fits", fits);
      vault.put("large", tooLarge);
      assertThat(vault.get("fits")).contains(fits);
      assertThat(vault.get("large")).contains(tooLarge);
    }
    String prefix = "authsome:" + Files.readString(ownHome.resolve("vault-id")).trim() + ":";
    assertThat(new String(api.credentials.get(prefix + "fits").blob(), StandardCharsets.UTF_8)).isEqualTo(fits);
    assertThat(new String(api.credentials.get(prefix + "large").blob(), StandardCharsets.US_ASCII))
        .startsWith(BlobFiles.MARKER).hasSizeLessThan(200);
    assertThat(api.credentials.get(prefix + "fits").userName()).isEqualTo("fits");
  }
}
