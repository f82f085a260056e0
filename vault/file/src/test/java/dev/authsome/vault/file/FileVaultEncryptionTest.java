package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the disk, and which master key opens it. */
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
class FileVaultEncryptionTest {

  private static final String CANARY = "sk-proj-CANARY0123456789abcdefXYZ";
  private static final String KEY = "profile:default:openai:connection:default";

  @TempDir Path home;

  @Test
  void files_neverHoldTheSecret_inPlainHexOrBase64() throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(KEY, "{\"api_key\":\"" + CANARY + "\"}");
      vault.put("profile:default:openai:state", CANARY);
      try (var lock = vault.lock(CANARY)) {
        vault.put("raw", CANARY);
      }
      assertThat(vault.get("raw")).contains(CANARY);
    }

    List<Path> files;
    try (Stream<Path> walk = Files.walk(home)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).extracting(f -> home.relativize(f).toString())
        .contains("vault/records.json", "vault/master.key", "vault/locks/vault.lock");
    for (Path file : files) {
      String content = new String(Files.readAllBytes(file), UTF_8);
      for (String form : encodedForms(CANARY)) {
        assertThat(content).as("%s must not contain %s", file, form).doesNotContainIgnoringCase(form);
      }
      assertThat(file.getFileName().toString()).doesNotContain(CANARY);
    }
  }

  @Test
  void recordMovedToAnotherKey_doesNotDecrypt() throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-openai\"}");
      vault.put("profile:default:resend:connection:default", "{\"api_key\":\"re-resend\"}");
    }
    String openai = Vaults.sealed(home, "profile:default:openai:connection:default");
    String resend = Vaults.sealed(home, "profile:default:resend:connection:default");
    Path resendFile = Vaults.recordFile(home, "profile:default:resend:connection:default");
    Vaults.replaceInFile(resendFile, resend, openai);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get("profile:default:resend:connection:default"),
          "record 'profile:default:resend:connection:default' in " + resendFile, "damaged");
      assertThat(vault.get("profile:default:openai:connection:default")).contains("{\"api_key\":\"sk-openai\"}");
    }
  }

  @Test
  void wrongMasterKey_failsReadsAndWrites_andLeavesTheFileUnchanged() throws IOException {
    String rightKey = Vaults.newKey();
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", rightKey))) {
      vault.put(KEY, "{\"api_key\":\"" + CANARY + "\"}");
      vault.put("profile:default:openai:state", "{}");
    }
    var before = Vaults.contents(home);
    String wrongKey = Vaults.newKey();

    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", wrongKey))) {
      AuthsomeException read = assertVaultError(() -> vault.get(KEY), KEY, "AUTHSOME_MASTER_KEY",
          "probably not this vault's");
      AuthsomeException write = assertVaultError(() -> vault.put("profile:default:github:state", "{}"),
          "refusing to change the vault in " + home.resolve("vault"), "probably not this vault's",
          "nothing was changed", "set AUTHSOME_MASTER_KEY to the key this vault was created with");
      assertVaultError(() -> vault.delete("profile:default:openai:state"), "refusing to change");
      for (AuthsomeException e : List.of(read, write)) {
        assertThat(e.getMessage()).doesNotContain(rightKey, wrongKey, CANARY);
      }
    }
    assertThat(Vaults.contents(home)).isEqualTo(before);
    assertThat(home.resolve("vault/master.key")).doesNotExist();

    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", rightKey))) {
      assertThat(vault.get(KEY)).contains("{\"api_key\":\"" + CANARY + "\"}");
    }
  }

  @Test
  void masterKeyVariable_ofWrongLength_failsNamingTheVariableButNotItsValue() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", shortKey))) {
      AuthsomeException e = assertVaultError(() -> vault.put(KEY, "v"), "AUTHSOME_MASTER_KEY decodes to 16 bytes",
          "exactly 32");
      assertThat(e.getMessage()).doesNotContain(shortKey);
    }
    assertThat(home.resolve("vault/records.json")).doesNotExist();
    assertThat(home.resolve("vault/master.key")).doesNotExist();
  }

  @Test
  void masterKeyVariable_thatIsNotBase64_failsNamingTheVariableButNotItsValue() {
    String notBase64 = "correct horse battery staple!!";
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", notBase64))) {
      AuthsomeException e = assertVaultError(() -> vault.put(KEY, "v"), "AUTHSOME_MASTER_KEY is not valid base64");
      assertThat(e.getMessage()).doesNotContain("horse", "staple");
    }
  }

  @Test
  void masterKeyVariable_winsOverTheKeyFile_andIsNeverWrittenToDisk() throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(KEY, "from-file-key");
    }
    String fileKey = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(home.resolve("vault/master.key").toFile()).path("key").asText();

    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", fileKey))) {
      assertThat(vault.get(KEY)).contains("from-file-key");
    }
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", Vaults.newKey()),
        Map.of("master_key", "file"))) {
      assertVaultError(() -> vault.get(KEY), KEY, "AUTHSOME_MASTER_KEY");
    }

    Path envHome = home.resolve("env-home");
    String envKey = Vaults.newKey();
    try (Vault vault = Vaults.open(envHome, Map.of("AUTHSOME_MASTER_KEY", envKey))) {
      vault.put(KEY, "v");
    }
    assertThat(envHome.resolve("vault/master.key")).doesNotExist();
    assertThat(Files.readString(Vaults.records(envHome))).doesNotContain(envKey);
  }

  @Test
  void keyFileMissing_withAnExistingVault_failsAndNeverMintsANewKey() throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(KEY, "v");
    }
    Path keyFile = home.resolve("vault/master.key");
    Files.delete(keyFile);
    var before = Vaults.contents(home);

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertVaultError(() -> vault.get(KEY), "the vault " + Vaults.records(home) + " exists but its master key is"
          + " missing (key file " + keyFile + " not found); restore " + keyFile + " from a backup, or set"
          + " AUTHSOME_MASTER_KEY");
      assertVaultError(() -> vault.put("other", "v"), keyFile.toString(), "AUTHSOME_MASTER_KEY");
      assertThat(vault.keys("")).containsExactly(KEY);
    }
    assertThat(keyFile).doesNotExist();
    assertThat(Vaults.contents(home)).isEqualTo(before);
  }

  @Test
  void keyFile_thatIsDamaged_failsNamingIt_withoutShowingItsContent() throws IOException {
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(KEY, "v");
    }
    Path keyFile = home.resolve("vault/master.key");
    Files.writeString(keyFile, "{\"format\":1,\"algorithm\":\"AES-256-GCM\",\"key\":\"c2hvcnQ=\"}");

    try (Vault vault = Vaults.open(home, Map.of())) {
      AuthsomeException e = assertVaultError(() -> vault.get(KEY), "the master key file " + keyFile
          + " is not valid (\"key\" decodes to 5 bytes instead of 32)");
      assertThat(e.getMessage()).doesNotContain("c2hvcnQ");
    }
  }

  @Test
  void keyFile_isWrittenOnlyByTheFirstWrite_andKeptAfterwards() throws IOException {
    Path keyFile = home.resolve("vault/master.key");
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.get(KEY);
      assertThat(keyFile).doesNotExist();
      vault.put(KEY, "v1");
    }
    String key = Files.readString(keyFile);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(key).fieldNames())
        .toIterable().containsExactlyInAnyOrder("format", "algorithm", "key");
    try (Vault vault = Vaults.open(home, Map.of())) {
      vault.put(KEY, "v2");
      vault.delete(KEY);
    }
    assertThat(Files.readString(keyFile)).isEqualTo(key);
  }

  @Test
  void masterKeySetting_env_withoutTheVariable_failsNamingIt() {
    assertVaultError(() -> Vaults.open(home, Map.of(), Map.of("master_key", "env")),
        "vault.master_key is 'env' but AUTHSOME_MASTER_KEY is not set");
  }

  @Test
  void masterKeySetting_unknown_isAUsageErrorListingTheChoices() {
    assertThatThrownBy(() -> Vaults.open(home, Map.of(), Map.of("master_key", "kechain")))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessage("unknown vault.master_key 'kechain'; available: env, file, keychain");
  }

  @Test
  void everyWrite_usesAFreshNonce() throws IOException {
    var seen = new ArrayList<String>();
    try (Vault vault = Vaults.open(home, Map.of())) {
      for (int i = 0; i < 20; i++) {
        vault.put(KEY, "same value");
        seen.add(Vaults.sealed(home, KEY).substring(0, Vaults.sealed(home, KEY).indexOf('.')));
      }
    }
    assertThat(seen).doesNotHaveDuplicates().allSatisfy(n -> assertThat(Base64.getDecoder().decode(n)).hasSize(12));
  }

  static AuthsomeException assertVaultError(ThrowingCallable call, String... messageParts) {
    var thrown = new AuthsomeException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(AuthsomeException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
      assertThat(e.getMessage()).contains(messageParts).doesNotContain("\n");
      thrown[0] = e;
    });
    return thrown[0];
  }

  /** The secret as it would appear if stored unencrypted: plain, hex, and base64 at each of its 3 alignments. */
  private static List<String> encodedForms(String secret) {
    var forms = new ArrayList<String>(List.of(secret, HexFormat.of().formatHex(secret.getBytes(UTF_8))));
    for (int shift = 0; shift < 3; shift++) {
      String padded = "x".repeat(shift) + secret;
      for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String encoded = encoder.withoutPadding().encodeToString(padded.getBytes(UTF_8));
        // the characters that depend only on the secret: skip the group holding the padding, and the last group
        forms.add(encoded.substring(shift == 0 ? 0 : 4, encoded.length() - 4));
      }
    }
    return forms;
  }
}
