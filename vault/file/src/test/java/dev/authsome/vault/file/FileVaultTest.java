package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.VaultBackends;
import dev.authsome.core.spi.Vault;
import dev.authsome.vault.tck.VaultContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file backend meets the vault contract, with its key in the key file (no environment variable). */
class FileVaultTest extends VaultContract {

  @TempDir Path otherHome;

  @Override
  protected Vault openVault(Path home) {
    return Vaults.open(home, Map.of());
  }

  @Override
  protected void damageRecord(Path home, String key) throws Exception {
    Vaults.flipCiphertextByte(home, key);
  }

  @Test
  void serviceLoader_findsTheBackendAsFile_persistent() {
    var provider = VaultBackends.find("file");

    assertThat(provider).isInstanceOf(FileVaultProvider.class);
    assertThat(provider.persistent()).isTrue();
  }

  @Test
  void describe_namesTheFolderAndTheKeySource() {
    try (Vault vault = openVault(otherHome)) {
      assertThat(vault.describe()).isEqualTo("file (" + otherHome.resolve("vault") + ", master key from key file "
          + otherHome.resolve("vault/master.key") + ")");
    }
    try (Vault vault = Vaults.open(otherHome, Map.of("AUTHSOME_MASTER_KEY", Vaults.newKey()))) {
      assertThat(vault.describe()).endsWith(", master key from AUTHSOME_MASTER_KEY)");
    }
  }

  @Test
  void reading_aHomeWithoutVault_createsNothing() {
    Path home = otherHome.resolve("fresh");
    try (Vault vault = openVault(home)) {
      assertThat(vault.get("k")).isEmpty();
      assertThat(vault.keys("")).isEmpty();
    }
    assertThat(home).doesNotExist();
  }
}
