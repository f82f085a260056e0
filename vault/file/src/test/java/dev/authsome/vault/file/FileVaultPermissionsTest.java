package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every folder the vault creates is 0700 and every file 0600, whatever the umask. */
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
class FileVaultPermissionsTest {

  @TempDir Path temp;

  @Test
  void newVault_hasPrivateFoldersAndFiles() throws IOException {
    Path home = temp.resolve("authsome-home");
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put("profile:default:openai:connection:default", "{}");
      try (VaultLock lock = vault.lock("refresh:profile:default:openai:connection:default")) {
        vault.put("profile:default:openai:state", "{}");
      }
    }

    List<Path> all;
    try (Stream<Path> walk = Files.walk(home)) {
      all = walk.toList();
    }
    assertThat(all).extracting(p -> home.relativize(p).toString()).contains("", "vault", "vault/locks",
        "vault/records.json", "vault/records.1", "vault/revision", "vault/master.key", "vault/locks/vault.lock");
    assertThat(all).filteredOn(p -> p.getFileName().toString().endsWith(".lock")).hasSize(2);
    for (Path path : all) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
      assertThat(mode).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
    }
  }

  @Test
  void rewrittenRecordFile_staysPrivate_evenIfSomeoneWidenedIt() throws IOException {
    Path home = temp.resolve("h");
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put("a", "1");
      Files.setPosixFilePermissions(Vaults.recordFile(home, "a"), PosixFilePermissions.fromString("rw-r--r--"));
      vault.put("a", "2");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Vaults.recordFile(home, "a"))))
        .isEqualTo("rw-------");
  }
}
