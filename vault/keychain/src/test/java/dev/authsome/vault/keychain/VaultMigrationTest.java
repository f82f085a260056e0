package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.core.Authsome;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.VaultBackends;
import dev.authsome.core.VaultMigration;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault migrate} between the real keychain and the file backend, through the engine: a real child process
 * killed half way loses nothing and leaves the old backend configured; a second run completes.
 */
class VaultMigrationTest {
  private static final int RECORDS = 120;

  @TempDir Path home;

  @BeforeEach
  void requireSecretService() throws Exception {
    SecretServiceEnvironment.require();
    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: keychain\n");
  }

  private Vault keychain() {
    return new KeychainVaultProvider().open(new VaultContext(home, SecretServiceEnvironment.environment(), Map.of()));
  }

  private static String value(int i) {
    return "{\"api_key\":\"sk-migrate-" + i + "\"}";
  }

  private static String key(int i) {
    return "profile:default:p" + i + ":connection:default";
  }

  private Authsome engine() {
    return Authsome.builder().home(home).environment(SecretServiceEnvironment.environment()).build();
  }

  @Test
  void migrationKilledHalfWay_losesNothing_keepsTheOldBackend_andASecondRunCompletes() throws Exception {
    try (Vault vault = keychain()) {
      for (int i = 0; i < RECORDS; i++) {
        vault.put(key(i), value(i));
      }
    }
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), MigrateChildMain.class.getName(), home.toString(), "file")
        .redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile()).start();
    Path records = home.resolve("vault/records.json");
    while (!Files.exists(records) && child.isAlive()) {
      Thread.sleep(2);
    }
    boolean killedMidway = child.isAlive();
    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(killedMidway).as("the child was still migrating when killed: " + Files.readString(
        home.resolve("child.log"))).isTrue();

    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: keychain");
    assertThat(new ObjectMapper().readTree(records.toFile()).path("records").size()).isLessThan(RECORDS);
    try (Vault vault = keychain()) {
      assertThat(vault.keys("")).hasSize(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        assertThat(vault.get(key(i))).contains(value(i));
      }
    }

    VaultMigration done;
    try (Authsome engine = engine()) {
      done = engine.migrateVault("file");
    }
    assertThat(done.records()).isEqualTo(RECORDS);
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: file");
    try (Vault file = VaultBackends.find("file").open(new VaultContext(home, SecretServiceEnvironment.environment(),
        Map.of("master_key", "keychain")))) {
      assertThat(file.keys("")).hasSize(RECORDS);
      for (int i = 0; i < RECORDS; i++) {
        assertThat(file.get(key(i))).contains(value(i));
      }
    }
  }

  @Test
  void writesByAnotherProcessDuringTheMigration_areCopiedOrRefused_neverLeftBehind() throws Exception {
    try (Vault vault = keychain()) {
      for (int i = 0; i < RECORDS; i++) {
        vault.put(key(i), value(i));
      }
    }
    Path stop = home.resolve("stop");
    Path log = home.resolve("writer.log");
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), WriterChildMain.class.getName(), home.toString(), stop.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    while (writer.isAlive() && (!Files.exists(log) || !Files.readString(log).contains("ok 2\n"))) {
      Thread.sleep(10);
    }
    assertThat(writer.isAlive()).as("the writer is writing: " + Files.readString(log)).isTrue();

    try (Authsome engine = engine()) {
      engine.migrateVault("file");
    }
    // the writer stops by itself at its first write after the switch, which must be refused
    boolean stopped = writer.waitFor(120, TimeUnit.SECONDS);
    if (!stopped) {
      Files.createFile(stop);
      writer.waitFor(60, TimeUnit.SECONDS);
    }
    assertThat(stopped).as("the writer's first write after the switch was refused: " + Files.readString(log))
        .isTrue();

    java.util.List<String> lines = Files.readAllLines(log);
    String lastOk = lines.stream().filter(l -> l.startsWith("ok ")).reduce((a, b) -> b).orElseThrow();
    String written = "ca-" + lastOk.substring(3);
    try (Vault file = VaultBackends.find("file").open(new VaultContext(home, SecretServiceEnvironment.environment(),
        Map.of("master_key", "keychain")))) {
      assertThat(file.get("authsome:proxy:ca")).as("the last write acknowledged, in the new vault; writer: "
          + lines.subList(Math.max(0, lines.size() - 3), lines.size())).contains(written);
      assertThat(file.keys("")).hasSize(RECORDS + 1);
    }
    // every write after the switch was refused, naming what happened and what to do
    assertThat(lines.get(lines.size() - 1)).startsWith("refused").contains("'keychain' to 'file'")
        .contains("run the command again");
  }

  @Test
  void targetHoldingRecordsTheSourceLacks_isRefused_andNothingChanges() throws Exception {
    try (Vault vault = keychain()) {
      vault.put(key(1), value(1));
    }
    try (Vault file = VaultBackends.find("file").open(new VaultContext(home, SecretServiceEnvironment.environment(),
        Map.of("master_key", "file")))) {
      file.put("profile:default:other:connection:default", "{}");
    }
    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: keychain\n  master_key: file\n");
    try (Authsome engine = engine()) {
      assertThatThrownBy(() -> engine.migrateVault("file"))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
          .hasMessageContaining("'file' already holds 1 record that 'keychain' does not");
    }
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: keychain");
  }

  @Test
  void unknownTarget_listsTheBackends_andTheCurrentBackendIsNoTarget() {
    try (Authsome engine = engine()) {
      assertThatThrownBy(() -> engine.migrateVault("kechain"))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
          .hasMessageStartingWith("unknown vault backend 'kechain'; available: file, keychain");
      assertThatThrownBy(() -> engine.migrateVault("keychain"))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
          .hasMessageContaining("already uses 'keychain'");
    }
  }
}
