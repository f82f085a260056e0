package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code vault rekey} on the file backend with its key file: every record ends up under a new key, and a crash at any
 * step (a probe that throws there, standing for the process dying) leaves a vault that the next process opens with
 * every record intact, and that can be rekeyed again.
 */
class FileVaultRekeyTest {
  @TempDir Path home;

  private static final Map<String, String> RECORDS = new LinkedHashMap<>();

  static {
    RECORDS.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-1\"}");
    RECORDS.put("profile:default:github:connection:work", "{\"access_token\":\"gho-2\"}");
    RECORDS.put("profile:default:github:state", "{\"default_connection\":\"work\"}");
  }

  private Vault open() {
    return Vaults.open(home, Map.of());
  }

  private void fill() {
    try (Vault vault = open()) {
      RECORDS.forEach(vault::put);
    }
  }

  private void assertEveryRecordReads(Vault vault) {
    RECORDS.forEach((k, v) -> assertThat(vault.get(k)).as(k).contains(v));
    assertThat(vault.keys("")).containsAll(RECORDS.keySet());
  }

  @Test
  void rekey_reencryptsEveryRecordUnderANewKey_andLeavesNothingAside() throws Exception {
    fill();
    String oldKey = Files.readString(home.resolve("vault/master.key"));
    String oldSealed = Vaults.sealed(home, "profile:default:openai:connection:default");

    try (Vault vault = open()) {
      vault.rekey();
      assertEveryRecordReads(vault);
    }

    assertThat(Files.readString(home.resolve("vault/master.key"))).isNotEqualTo(oldKey);
    assertThat(Vaults.sealed(home, "profile:default:openai:connection:default")).isNotEqualTo(oldSealed);
    assertThat(home.resolve("vault/master.key.next")).doesNotExist();
    assertOneGeneration();
    try (Vault vault = open()) {
      assertEveryRecordReads(vault);
    }
  }

  @ParameterizedTest
  @EnumSource(FileVault.RekeyStep.class)
  void crashAtAnyStepOfRekey_leavesEveryRecordReadableByTheNextProcess_andRekeyCanRunAgain(FileVault.RekeyStep step) {
    fill();
    try (Vault vault = open()) {
      assertThatThrownBy(() -> ((FileVault) vault).rekey(reached -> {
        if (reached == step) {
          throw new IllegalStateException("crash at " + step);
        }
      })).hasMessage("crash at " + step);
    }

    try (Vault next = open()) { // a new process: nothing cached
      assertEveryRecordReads(next);
      next.put("profile:default:after:state", "{}");
    }
    try (Vault again = open()) {
      again.rekey();
      assertEveryRecordReads(again);
      assertThat(again.get("profile:default:after:state")).contains("{}");
    }
    assertThat(home.resolve("vault/master.key.next")).doesNotExist();
    assertOneGeneration();
  }

  @Test
  void crashAfterTheRecordsSwitched_isFinishedByAWriterToo() {
    fill();
    try (Vault vault = open()) {
      assertThatThrownBy(() -> ((FileVault) vault).rekey(reached -> {
        if (reached == FileVault.RekeyStep.RECORDS_SWITCHED) {
          throw new IllegalStateException("crash");
        }
      }));
    }
    try (Vault writer = open()) {
      writer.put("profile:default:new:state", "{\"x\":1}"); // the first thing it does is write
      assertEveryRecordReads(writer);
    }
    assertThat(home.resolve("vault/master.key.next")).doesNotExist();
  }

  /** Only the generation in use is left: nothing aside, nothing half-written. */
  private void assertOneGeneration() {
    try (var files = Files.list(home.resolve("vault"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("records.") && !n.equals("records.json")).toList())
          .singleElement().asString().matches("records\\.\\d+");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void rekey_withTheKeyFromTheEnvironment_isRefusedAsAUsageError() {
    String key = Vaults.newKey();
    try (Vault vault = Vaults.open(home, Map.of("AUTHSOME_MASTER_KEY", key))) {
      vault.put("k", "v");
      assertThatThrownBy(vault::rekey)
          .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
          .hasMessageContaining("AUTHSOME_MASTER_KEY");
      assertThat(vault.get("k")).isEqualTo(Optional.of("v"));
    }
  }
}
