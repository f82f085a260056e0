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

  /**
   * A write that was cut off between changing a record and moving the revision (the process killed there) leaves
   * {@code vault/writing}: until a later write completes, the vault promises no snapshot, so nothing derived from
   * the records (the listing cache) is trusted under a revision that no longer describes them.
   */
  @Test
  void snapshotRevision_isEmptyAfterACutOffWrite_untilTheNextWriteCompletes() throws Exception {
    try (Vault vault = openVault(otherHome)) {
      vault.put("k", "v1");
      assertThat(vault.snapshotRevision()).isPresent().isEqualTo(vault.revision());
      assertThat(otherHome.resolve("vault/writing")).as("removed once the write is done").doesNotExist();
      java.nio.file.Files.writeString(otherHome.resolve("vault/writing"), ""); // as a killed writer leaves it
      assertThat(vault.snapshotRevision()).isEmpty();
      assertThat(vault.revision()).as("the revision itself is still reported, for pollers").isPresent();
      vault.put("k", "v2");
      assertThat(vault.snapshotRevision()).isPresent();
      assertThat(otherHome.resolve("vault/writing")).doesNotExist();
    }
  }

  /** A write that fails before it reaches the record (the records folder refuses it) leaves no mark behind. */
  @Test
  void aWriteThatFailsCleanly_leavesNoMark_andTheSnapshotStaysTrusted() throws Exception {
    try (Vault vault = openVault(otherHome)) {
      vault.put("k", "v1");
      Object before = vault.snapshotRevision().orElseThrow();
      try (var readOnly = ReadOnlyFolder.of(Vaults.generation(otherHome))) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> vault.put("k2", "v"))
            .isInstanceOf(dev.authsome.core.AuthsomeException.class);
      }
      assertThat(otherHome.resolve("vault/writing")).doesNotExist();
      assertThat(vault.snapshotRevision()).contains(before);
      assertThat(vault.get("k")).contains("v1");
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
