package dev.authsome.vault.file;

import static dev.authsome.vault.file.FileVaultEncryptionTest.assertVaultError;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged, unreadable or read-only vault: reads say what is wrong, and nothing rewrites the file. */
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
class FileVaultDamageTest {

  private static final String OPENAI = "profile:default:openai:connection:default";
  private static final String GITHUB = "profile:default:github:connection:default";

  @TempDir Path home;
  private Path records;

  @BeforeEach
  void writeTwoRecords() {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(OPENAI, "{\"api_key\":\"sk-openai\"}");
      vault.put(GITHUB, "{\"access_token\":\"gho-github\"}");
    }
    records = Vaults.records(home);
  }

  @Test
  void flippedByte_failsReadsOfThatRecord_refusesWrites_andLeavesTheFileUnchanged() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    byte[] damaged = Files.readAllBytes(records);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "record '" + OPENAI + "' in " + records,
          "while other records do, so it is damaged", "restore " + records + " from a backup", "authsome vault salvage");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
      assertThat(vault.keys("")).containsExactly(GITHUB, OPENAI);

      assertVaultError(() -> vault.put("profile:default:resend:connection:default", "{}"),
          "refusing to change " + records + ": record '" + OPENAI + "'", "the file is left unchanged");
      assertVaultError(() -> vault.put(GITHUB, "{}"), "refusing to change");
      assertVaultError(() -> vault.put(OPENAI, "{}"), "refusing to change");
      assertVaultError(() -> vault.delete(GITHUB), "refusing to change");
      assertThat(vault.delete("never-stored")).isFalse();
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(damaged);
  }

  @Test
  void deletingTheDamagedRecord_isAllowed_andMakesTheVaultWritableAgain() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertThat(vault.delete(OPENAI)).isTrue();
      vault.put(OPENAI, "{\"api_key\":\"sk-new\"}");
      assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-new\"}");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
    }
  }

  @Test
  void twoDamagedRecords_refuseEvenDeletingOne() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    Vaults.flipCiphertextByte(home, GITHUB);
    byte[] damaged = Files.readAllBytes(records);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(GITHUB), GITHUB, "no other record does either");
      assertVaultError(() -> vault.delete(OPENAI), "refusing to change", "'" + GITHUB + "'");
      assertVaultError(() -> vault.put("new", "v"), "'" + GITHUB + "' (and 1 more)");
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(damaged);
  }

  @Test
  void truncatedFile_failsReadsAndWrites_namingTheFile_andIsLeftUnchanged() throws IOException {
    byte[] whole = Files.readAllBytes(records);
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    Files.write(records, truncated);

    assertUnparseable(truncated, "broken JSON at line");
  }

  @Test
  void emptyFile_failsReadsAndWrites_namingTheFile() throws IOException {
    Files.write(records, new byte[0]);

    assertUnparseable(new byte[0], "not a JSON object");
  }

  @Test
  void fileOfAnotherFormat_failsReadsAndWrites_namingTheFormat() throws IOException {
    Vaults.replaceInFile(records, "\"format\" : 1", "\"format\" : 2");

    assertUnparseable(Files.readAllBytes(records), "format 2 is not the format 1 this authsome reads");
  }

  @Test
  void fileWithADuplicatedRecord_failsReadsAndWrites() throws IOException {
    String text = Files.readString(records, UTF_8);
    String line = text.lines().filter(l -> l.contains(GITHUB)).findFirst().orElseThrow();
    byte[] doubled = text.replace(line, line.endsWith(",") ? line + "\n" + line : line + ",\n" + line).getBytes(UTF_8);
    Files.write(records, doubled);

    assertUnparseable(doubled, "broken JSON");
  }

  @Test
  void readOnlyVaultFolder_refusesWrites_namingIt_butReadsWork() throws Exception {
    Path vaultDir = home.resolve("vault");
    byte[] before = Files.readAllBytes(records);
    try (var readOnly = ReadOnlyFolder.of(vaultDir)) {
      try (Vault vault = Vaults.open(home, Map.of())) {
        assertVaultError(() -> vault.put("profile:default:resend:connection:default", "{}"),
            "cannot change the vault: ", " is read-only (", "make " + vaultDir + " writable");
        assertVaultError(() -> vault.delete(OPENAI), "is read-only");
        assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-openai\"}");
        assertThat(vault.keys("")).containsExactly(GITHUB, OPENAI);
      }
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(before);
  }

  @Test
  void readOnlyHome_withoutVault_refusesTheFirstWrite_butReadsWork() throws Exception {
    Path fresh = home.resolve("fresh-home");
    Files.createDirectory(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try (var readOnly = ReadOnlyFolder.of(fresh)) {
      try (Vault vault = Vaults.open(fresh, Map.of())) {
        assertThat(vault.get(OPENAI)).isEmpty();
        assertVaultError(() -> vault.put(OPENAI, "{}"), "is read-only");
        assertVaultError(() -> vault.lock("refresh"), "is read-only");
        assertThat(vault.delete(OPENAI)).as("deleting what is not there").isFalse();
      }
    }
    assertThat(fresh.resolve("vault")).doesNotExist();
  }

  @Test
  void salvage_afterAFlippedByte_keepsEveryRecordThatOpens_andTheDamagedFileAside() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    byte[] damaged = Files.readAllBytes(records);

    dev.authsome.core.VaultSalvage salvage;
    try (Vault vault = Vaults.open(home, Map.of())) {
      salvage = vault.salvage();
      assertThat(salvage.kept()).containsExactly(GITHUB);
      assertThat(salvage.lost()).containsExactly(OPENAI);
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
      assertThat(vault.keys("")).containsExactly(GITHUB);
      vault.put(OPENAI, "{\"api_key\":\"sk-again\"}"); // writable again
    }
    Path aside = Path.of(salvage.damagedCopy());
    assertThat(aside.getParent()).isEqualTo(records.getParent());
    assertThat(aside.getFileName().toString()).startsWith("records.json.damaged-");
    assertThat(Files.readAllBytes(aside)).isEqualTo(damaged);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aside))).isEqualTo("rw-------");
  }

  @Test
  void salvage_ofATruncatedFile_keepsTheRecordsBeforeTheCut() throws IOException {
    byte[] whole = Files.readAllBytes(records);
    String text = new String(whole, UTF_8);
    // cut in the middle of the second record (records are sorted: github first)
    int cut = text.indexOf(OPENAI) + OPENAI.length() + 20;
    byte[] truncated = Arrays.copyOf(whole, cut);
    Files.write(records, truncated);

    try (Vault vault = Vaults.open(home, Map.of())) {
      var salvage = vault.salvage();
      assertThat(salvage.kept()).containsExactly(GITHUB);
      assertThat(salvage.salvaged()).isTrue();
      assertThat(Files.readAllBytes(Path.of(salvage.damagedCopy()))).isEqualTo(truncated);
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
    }
  }

  @Test
  void salvage_ofAHealthyVault_changesNothing() throws IOException {
    byte[] before = Files.readAllBytes(records);
    try (Vault vault = Vaults.open(home, Map.of())) {
      var salvage = vault.salvage();
      assertThat(salvage.salvaged()).isFalse();
      assertThat(salvage.kept()).containsExactly(GITHUB, OPENAI);
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(before);
    try (var files = Files.list(records.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("damaged"));
    }
  }

  @Test
  void salvage_withTheWrongMasterKey_refuses_andChangesNothing() throws IOException {
    byte[] before = Files.readAllBytes(records);
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", Vaults.newKey()))) {
      assertVaultError(vault::salvage, "refusing to salvage " + records, "probably not this vault's",
          "nothing was changed");
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(before);
  }

  private void assertUnparseable(byte[] content, String problem) throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "the vault file " + records + " is not a valid authsome vault (",
          problem, "nothing was changed", "restore it from a backup");
      assertVaultError(() -> vault.keys(""), records.toString());
      assertVaultError(() -> vault.put("new", "v"), records.toString(), problem);
      assertVaultError(() -> vault.delete(OPENAI), records.toString(), problem);
    }
    assertThat(Files.readAllBytes(records)).isEqualTo(content);
  }
}
