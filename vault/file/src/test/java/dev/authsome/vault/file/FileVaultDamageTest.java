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

/**
 * A damaged, unreadable or read-only vault: reads say what is wrong and what to do, a damaged record is never
 * overwritten, and a damaged {@code records.json} stops every write.
 */
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
class FileVaultDamageTest {

  private static final String OPENAI = "profile:default:openai:connection:default";
  private static final String GITHUB = "profile:default:github:connection:default";
  private static final String RESEND = "profile:default:resend:connection:default";

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
  void flippedByte_failsReadsOfThatRecord_refusesToOverwriteIt_andOtherRecordsStayUsable() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    Path openaiFile = Vaults.recordFile(home, OPENAI);
    byte[] damaged = Files.readAllBytes(openaiFile);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "record '" + OPENAI + "' in " + openaiFile,
          "while other records do, so it is damaged", "from a backup", "authsome vault salvage");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
      assertThat(vault.keys("")).containsExactly(GITHUB, OPENAI);

      assertVaultError(() -> vault.put(OPENAI, "{}"), "refusing to change record '" + OPENAI + "'",
          "the file is left unchanged");
      // one damaged record does not hold the others hostage: each lives in a file of its own
      vault.put(RESEND, "{\"api_key\":\"re-new\"}");
      vault.put(GITHUB, "{\"access_token\":\"gho-new\"}");
      assertThat(vault.get(RESEND)).contains("{\"api_key\":\"re-new\"}");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-new\"}");
      assertThat(vault.delete("never-stored")).isFalse();
    }
    assertThat(Files.readAllBytes(openaiFile)).isEqualTo(damaged);
  }

  @Test
  void deletingTheDamagedRecord_isAllowed_andMakesItWritableAgain() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertThat(vault.delete(OPENAI)).isTrue();
      vault.put(OPENAI, "{\"api_key\":\"sk-new\"}");
      assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-new\"}");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
    }
  }

  @Test
  void everyRecordDamaged_looksLikeAWrongKey_andRefusesWrites() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    Vaults.flipCiphertextByte(home, GITHUB);
    var before = Vaults.contents(home);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(GITHUB), GITHUB, "no other record does either");
      assertVaultError(() -> vault.put(RESEND, "v"), "refusing to change the vault", "probably not this vault's");
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
  }

  @Test
  void truncatedRecordFile_failsReadsAndOverwrites_namingTheFile_andIsLeftUnchanged() throws IOException {
    Path file = Vaults.recordFile(home, OPENAI);
    byte[] whole = Files.readAllBytes(file);
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    Files.write(file, truncated);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "the vault record file " + file + " is not a valid authsome record",
          "broken JSON", "authsome vault salvage");
      assertVaultError(() -> vault.put(OPENAI, "{}"), file.toString(), "nothing was changed");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
  }

  @Test
  void recordFilesSwapped_failReads_namingWhatEachHolds() throws IOException {
    Path openai = Vaults.recordFile(home, OPENAI);
    Path github = Vaults.recordFile(home, GITHUB);
    byte[] openaiBytes = Files.readAllBytes(openai);
    Files.write(openai, Files.readAllBytes(github));
    Files.write(github, openaiBytes);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), openai.toString(), "it holds record '" + GITHUB + "'",
          "not '" + OPENAI + "'");
      assertVaultError(() -> vault.put(GITHUB, "{}"), github.toString(), "files swapped or renamed");
    }
  }

  @Test
  void truncatedPointerFile_failsReadsAndWrites_namingTheFile_andIsLeftUnchanged() throws IOException {
    byte[] whole = Files.readAllBytes(records);
    byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
    Files.write(records, truncated);

    assertUnparseable("broken JSON at line");
  }

  @Test
  void emptyPointerFile_failsReadsAndWrites_namingTheFile() throws IOException {
    Files.write(records, new byte[0]);

    assertUnparseable("not a JSON object");
  }

  @Test
  void pointerFileOfANewerFormat_failsReadsAndWrites_namingTheFormat() throws IOException {
    Vaults.replaceInFile(records, "\"format\" : 2", "\"format\" : 3");

    assertUnparseable("format 3 is not a format this authsome reads");
  }

  @Test
  void format1FileWithADuplicatedRecord_failsReadsAndWrites() throws IOException {
    Vaults.toFormat1(home);
    String text = Files.readString(records, UTF_8);
    String line = text.lines().filter(l -> l.contains(GITHUB)).findFirst().orElseThrow();
    byte[] doubled = text.replace(line, line.endsWith(",") ? line + "\n" + line : line + ",\n" + line).getBytes(UTF_8);
    Files.write(records, doubled);

    assertUnparseable("broken JSON");
  }

  @Test
  void format1FileWithAFlippedByte_refusesEveryWrite_asBefore() throws IOException {
    Vaults.toFormat1(home);
    String sealed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.toFile()).path("records")
        .path(OPENAI).asText();
    byte[] ciphertext = java.util.Base64.getDecoder().decode(sealed.substring(sealed.indexOf('.') + 1));
    ciphertext[3] ^= 1;
    Vaults.replaceInFile(records, sealed, sealed.substring(0, sealed.indexOf('.') + 1)
        + java.util.Base64.getEncoder().encodeToString(ciphertext));
    var before = Vaults.contents(home);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "record '" + OPENAI + "' in " + records, "it is damaged");
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
      // the first write would upgrade the vault, and a damaged format 1 vault is for salvage
      assertVaultError(() -> vault.put(RESEND, "{}"), "refusing to change " + records + ": record '" + OPENAI + "'",
          "the file is left unchanged");
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
  }

  @Test
  void readOnlyVault_refusesWrites_namingIt_butReadsWork() throws Exception {
    Path vaultDir = home.resolve("vault");
    var before = Vaults.contents(home);
    try (var readOnlyVault = ReadOnlyFolder.of(vaultDir);
        var readOnlyRecords = ReadOnlyFolder.of(Vaults.generation(home))) {
      try (Vault vault = Vaults.open(home, Map.of())) {
        assertVaultError(() -> vault.put(RESEND, "{}"), "cannot change the vault: ", " is read-only (",
            "writable");
        assertVaultError(() -> vault.delete(OPENAI), "is read-only");
        assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-openai\"}");
        assertThat(vault.keys("")).containsExactly(GITHUB, OPENAI);
      }
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
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
  void salvage_afterAFlippedByte_keepsEveryRecordThatOpens_andTheDamagedRecordsAside() throws IOException {
    Vaults.flipCiphertextByte(home, OPENAI);
    byte[] damaged = Files.readAllBytes(Vaults.recordFile(home, OPENAI));

    dev.authsome.core.VaultSalvage salvage;
    try (Vault vault = Vaults.open(home, Map.of())) {
      salvage = vault.salvage();
      assertThat(salvage.kept()).containsExactly(GITHUB);
      assertThat(salvage.lost()).containsExactly(OPENAI);
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
      assertThat(vault.keys("")).containsExactly(GITHUB);
      vault.put(OPENAI, "{\"api_key\":\"sk-again\"}"); // writable again
      assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-again\"}");
    }
    Path aside = Path.of(salvage.damagedCopy());
    assertThat(aside.getParent()).isEqualTo(records.getParent());
    assertThat(aside.getFileName().toString()).startsWith("records.damaged-");
    assertThat(Files.readAllBytes(aside.resolve(RecordFolder.fileName(OPENAI)))).isEqualTo(damaged);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(aside))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        aside.resolve(RecordFolder.fileName(OPENAI))))).isEqualTo("rw-------");
    try (var left = Files.list(home.resolve("vault"))) {
      assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.matches("records\\.\\d+")))
          .as("only the current generation is left").hasSize(1);
    }
  }

  @Test
  void salvage_ofADamagedPointer_findsTheNewestGeneration() throws IOException {
    Files.write(records, "{\"format\" : 2, \"gener".getBytes(UTF_8));

    try (Vault vault = Vaults.open(home, Map.of())) {
      var salvage = vault.salvage();
      assertThat(salvage.salvaged()).isTrue();
      assertThat(salvage.kept()).containsExactly(GITHUB, OPENAI);
      assertThat(Path.of(salvage.damagedCopy()).resolve("records.json")).hasContent("{\"format\" : 2, \"gener");
      assertThat(vault.get(OPENAI)).contains("{\"api_key\":\"sk-openai\"}");
    }
  }

  @Test
  void salvage_ofATruncatedFormat1File_keepsTheRecordsBeforeTheCut() throws IOException {
    Vaults.toFormat1(home);
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
      assertThat(Path.of(salvage.damagedCopy()).getFileName().toString()).startsWith("records.json.damaged-");
      assertThat(Files.readAllBytes(Path.of(salvage.damagedCopy()))).isEqualTo(truncated);
      assertThat(vault.get(GITHUB)).contains("{\"access_token\":\"gho-github\"}");
    }
  }

  @Test
  void salvage_ofAHealthyVault_changesNothing() throws IOException {
    var before = Vaults.contents(home);
    try (Vault vault = Vaults.open(home, Map.of())) {
      var salvage = vault.salvage();
      assertThat(salvage.salvaged()).isFalse();
      assertThat(salvage.kept()).containsExactly(GITHUB, OPENAI);
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
    try (var files = Files.list(records.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("damaged"));
    }
  }

  @Test
  void salvage_withTheWrongMasterKey_refuses_andChangesNothing() throws IOException {
    var before = Vaults.contents(home);
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", Vaults.newKey()))) {
      assertVaultError(vault::salvage, "refusing to salvage " + home.resolve("vault"), "probably not this vault's",
          "nothing was changed");
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
  }

  private void assertUnparseable(String problem) throws IOException {
    var before = Vaults.contents(home);
    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(OPENAI), "the vault file " + records + " is not a valid authsome vault (",
          problem, "nothing was changed", "restore it from a backup");
      assertVaultError(() -> vault.keys(""), records.toString());
      assertVaultError(() -> vault.put("new", "v"), records.toString(), problem);
      assertVaultError(() -> vault.delete(OPENAI), records.toString(), problem);
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
  }
}
