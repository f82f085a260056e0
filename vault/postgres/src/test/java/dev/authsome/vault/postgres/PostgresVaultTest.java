package dev.authsome.vault.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the contract kit does not cover: keys across nodes, failures, cache coherence, what the database holds. */
class PostgresVaultTest {
  private static TestPostgres pg;

  @TempDir Path home;
  @TempDir Path otherHome;

  @BeforeAll
  static void server() {
    pg = TestPostgres.shared();
  }

  private static Vault open(Path home, Map<String, String> env) {
    return new PostgresVaultProvider().open(new VaultContext(home, env, Map.of()));
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    var copy = new HashMap<>(env);
    copy.put(name, value);
    return copy;
  }

  @Test
  void pgDump_holdsNoSecret_inPlainHexOrBase64() {
    String db = pg.createDatabase();
    String secret = "gho_SuperSecretToken0123456789abcdefXYZ";
    try (Vault vault = open(home, pg.environment(db))) {
      vault.put("profile:default:github:connection:default", "{\"access_token\":\"" + secret + "\"}");
      vault.put("profile:default:github:state", "{\"refresh_token\":\"" + secret + "-refresh\"}");
    }

    String dump = pg.dump(db);

    byte[] bytes = secret.getBytes(UTF_8);
    assertThat(dump).contains("profile:default:github:connection:default") // non-secret index columns are there
        .contains("github");
    for (String form : List.of(secret, HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes),
        Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
        // base64 of a secret inside a longer text starts at any of three alignments
        Base64.getEncoder().encodeToString(("x" + secret).getBytes(UTF_8)).substring(4, 40),
        Base64.getEncoder().encodeToString(("xy" + secret).getBytes(UTF_8)).substring(4, 40),
        "SuperSecretToken")) {
      assertThat(dump).as("the dump holds the secret as %s", form).doesNotContain(form);
    }
  }

  @Test
  void sealedRecords_openWithTheFileBackendsCipher_sameFormat() throws Exception {
    var key = javax.crypto.KeyGenerator.getInstance("AES");
    key.init(256);
    var secretKey = key.generateKey();
    String sealed = new RecordCipher(secretKey).seal("k", "value");

    // the file backend's cipher is package-private in a module that exports nothing: reach it reflectively (the
    // tests run on the class path)
    Class<?> fileCipher = Class.forName("dev.authsome.vault.file.RecordCipher");
    var constructor = fileCipher.getDeclaredConstructor(javax.crypto.SecretKey.class);
    constructor.setAccessible(true);
    var open = fileCipher.getDeclaredMethod("open", String.class, String.class);
    open.setAccessible(true);
    assertThat(open.invoke(constructor.newInstance(secretKey), "k", sealed)).isEqualTo(java.util.Optional.of("value"));
  }

  @Test
  void nodeWithAnotherKey_failsWithExit7NamingItsSource_andWritesNothing() throws Exception {
    String db = pg.createDatabase();
    try (Vault first = open(home, pg.environment(db))) {
      first.put("a", "1");
    }
    Map<String, String> wrong = with(pg.environment(db), "AUTHSOME_MASTER_KEY",
        Base64.getEncoder().encodeToString(new byte[32]));
    try (Vault other = open(otherHome, wrong)) {
      assertThatThrownBy(() -> other.put("b", "2")).isInstanceOfSatisfying(AuthsomeException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
        assertThat(e.getMessage()).contains("AUTHSOME_MASTER_KEY").contains("does not open");
      });
      assertThatThrownBy(() -> other.get("a")).isInstanceOf(AuthsomeException.class);
      assertThatThrownBy(() -> other.delete("a")).isInstanceOf(AuthsomeException.class);
    }
    try (Vault other = open(otherHome, pg.environment(db))) { // no key at all on this machine
      assertThatThrownBy(() -> other.put("b", "2")).isInstanceOfSatisfying(AuthsomeException.class, e ->
          assertThat(e.getMessage()).contains("no key for it").contains("vault key import"));
    }
    try (Vault first = open(home, pg.environment(db))) {
      assertThat(first.keys("")).containsExactly("a");
      assertThat(first.get("a")).contains("1");
    }
  }

  @Test
  void importedKey_letsASecondNodeRead() {
    String db = pg.createDatabase();
    byte[] key;
    try (Vault first = open(home, pg.environment(db))) {
      first.put("a", "1");
      key = first.exportKey().orElseThrow();
    }
    try (Vault second = open(otherHome, pg.environment(db))) {
      second.importKey(key);
      assertThat(second.get("a")).contains("1");
      assertThat(Files.exists(otherHome.resolve("vault/postgres.key"))).isTrue();
    }
  }

  @Test
  void rekey_reencryptsEveryRecordAndTheKeyCheck_andANodeWithTheOldKeyNeitherReadsNorWrites() throws Exception {
    String db = pg.createDatabase();
    try (Vault first = open(home, pg.environment(db)); Vault second = open(otherHome, pg.environment(db))) {
      for (int i = 0; i < 20; i++) {
        first.put("profile:default:p" + i + ":connection:default", "{\"access_token\":\"t" + i + "\"}");
      }
      second.importKey(first.exportKey().orElseThrow());
      assertThat(second.get("profile:default:p3:connection:default")).contains("{\"access_token\":\"t3\"}");
      Map<String, String> before = sealedRows(db);
      String oldKey = Files.readString(home.resolve("vault/postgres.key"));

      first.rekey();

      Map<String, String> after = sealedRows(db);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      before.forEach((name, sealed) -> assertThat(after.get(name)).as(name).isNotEqualTo(sealed));
      assertThat(Files.readString(home.resolve("vault/postgres.key"))).isNotEqualTo(oldKey);
      assertThat(home.resolve("vault/postgres.key.pending")).doesNotExist();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("vault/postgres.key"))))
          .isEqualTo("rw-------");
      for (int i = 0; i < 20; i++) {
        assertThat(first.get("profile:default:p" + i + ":connection:default"))
            .contains("{\"access_token\":\"t" + i + "\"}");
      }
      // the second node verified the old key before the rekey: its write is refused, not sealed under the old key
      assertThatThrownBy(() -> second.put("profile:default:late:connection:default", "{}"))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
            assertThat(e.getMessage()).contains("key file " + otherHome.resolve("vault/postgres.key"))
                .contains("does not open");
          });
      assertThatThrownBy(() -> second.get("profile:default:p3:connection:default"))
          .hasMessageContaining("does not open");
      assertThat(first.keys("profile:default:late")).isEmpty();

      second.importKey(first.exportKey().orElseThrow());
      assertThat(second.get("profile:default:p3:connection:default")).contains("{\"access_token\":\"t3\"}");
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void rekey_whileAnotherNodeWrites_leavesEveryRecordReadableUnderTheNewKey() throws Exception {
    String db = pg.createDatabase();
    try (Vault first = open(home, pg.environment(db)); Vault second = open(otherHome, pg.environment(db))) {
      first.put("seed", "0");
      second.importKey(first.exportKey().orElseThrow());
      List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
      var stop = new AtomicBoolean();
      Thread writes = new Thread(() -> {
        for (int i = 0; !stop.get(); i++) {
          String key = "profile:default:w:connection:c" + i;
          try {
            second.put(key, "{\"n\":" + i + "}");
            acknowledged.add(key);
          } catch (AuthsomeException e) {
            refused.add(key + ": " + e.getMessage());
          }
        }
      });
      writes.start();
      while (acknowledged.size() < 20) {
        Thread.sleep(10);
      }
      first.rekey();
      Thread.sleep(300);
      stop.set(true);
      writes.join();

      System.out.println("MEASURE writes of another node across a rekey: " + acknowledged.size() + " acknowledged, "
          + refused.size() + " refused");
      assertThat(refused).isNotEmpty().allSatisfy(m -> assertThat(m).contains("does not open"));
      // every row in the table opens with the new key: none was written under the old one after the switch
      for (String key : first.keys("")) {
        assertThat(first.get(key)).as(key).isPresent();
      }
      assertThat(first.keys("profile:default:w:")).containsAll(acknowledged);
    }
  }

  @Test
  void rekey_whenARecordIsDamaged_refusesAndChangesNothing() throws Exception {
    String db = pg.createDatabase();
    try (Vault vault = open(home, pg.environment(db))) {
      vault.put("good", "1");
      vault.put("bad", "2");
      try (var c = pg.connect(db); var s = c.prepareStatement("UPDATE authsome_records SET sealed = overlay(sealed"
          + " placing CASE WHEN substr(sealed, 20, 1) = 'A' THEN 'B' ELSE 'A' END from 20 for 1) WHERE record_key"
          + " = 'bad'")) {
        s.executeUpdate();
      }
      Map<String, String> before = sealedRows(db);
      String oldKey = Files.readString(home.resolve("vault/postgres.key"));

      assertThatThrownBy(vault::rekey).isInstanceOfSatisfying(AuthsomeException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
        assertThat(e.getMessage()).contains("record 'bad'").contains("nothing was changed");
      });

      assertThat(sealedRows(db)).isEqualTo(before);
      assertThat(Files.readString(home.resolve("vault/postgres.key"))).isEqualTo(oldKey);
      assertThat(home.resolve("vault/postgres.key.pending")).doesNotExist();
      assertThat(vault.get("good")).contains("1");
    }
  }

  @Test
  void rekey_thatCommittedButDidNotKeepItsKey_isFinishedByTheNextOpen() throws Exception {
    String db = pg.createDatabase();
    try (Vault first = open(home, pg.environment(db))) {
      first.put("k", "v");
      byte[] oldKey = first.exportKey().orElseThrow();
      try (Vault second = open(otherHome, pg.environment(db))) {
        second.importKey(oldKey);
      }
      first.rekey();
      // the second machine stands for the rekeying one stopped between the commit and the key's promotion: the new
      // key is pending beside the old one
      Files.copy(home.resolve("vault/postgres.key"), otherHome.resolve("vault/postgres.key.pending"));
    }
    try (Vault second = open(otherHome, pg.environment(db))) {
      assertThat(second.get("k")).contains("v");
      assertThat(otherHome.resolve("vault/postgres.key.pending")).doesNotExist();
      assertThat(Files.readString(otherHome.resolve("vault/postgres.key")))
          .isEqualTo(Files.readString(home.resolve("vault/postgres.key")));
    }
  }

  @Test
  void rekey_withTheKeyFromTheEnvironment_isRefusedWithUsage() {
    String db = pg.createDatabase();
    try (Vault vault = open(home, with(pg.environment(db), "AUTHSOME_MASTER_KEY",
        Base64.getEncoder().encodeToString(new byte[32])))) {
      vault.put("k", "v");
      assertThatThrownBy(vault::rekey).isInstanceOfSatisfying(AuthsomeException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(e.getMessage()).contains("AUTHSOME_MASTER_KEY");
      });
      assertThat(vault.get("k")).contains("v");
    }
  }

  /** record_key -> sealed, straight from the table. */
  private static Map<String, String> sealedRows(String db) throws Exception {
    Map<String, String> rows = new java.util.TreeMap<>();
    try (var c = pg.connect(db); var s = c.createStatement();
        var rs = s.executeQuery("SELECT record_key, sealed FROM authsome_records UNION ALL"
            + " SELECT 'meta:' || name, value FROM authsome_meta")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }

  @Test
  void unreachableServer_failsFastWithExit7_namingHostAndPort() {
    Map<String, String> env = Map.of("AUTHSOME_VAULT_URL", "postgresql://postgres@127.0.0.1:1/none",
        "PGPASSWORD", "x");
    long started = System.nanoTime();
    try (Vault vault = open(home, env)) {
      assertThatThrownBy(() -> vault.get("k")).isInstanceOfSatisfying(AuthsomeException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
        assertThat(e.getMessage()).contains("127.0.0.1:1").contains("cannot reach");
      });
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(10_000);
    assertThat(home.resolve("vault")).doesNotExist();
  }

  @Test
  void passwordFile_isUsedOnlyWhenPrivate() throws Exception {
    String db = pg.createDatabase();
    Path pgpass = otherHome.resolve("pgpass");
    Files.writeString(pgpass, "# test\n127.0.0.1:" + pg.port() + ":" + db + ":postgres:" + TestPostgres.PASSWORD
        + "\n");
    Map<String, String> env = Map.of("AUTHSOME_VAULT_URL", pg.url(db), "PGPASSFILE", pgpass.toString());
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
    try (Vault vault = open(home, env)) {
      assertThatThrownBy(() -> vault.get("k")).hasMessageContaining("chmod 600 " + pgpass);
    }
    Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
    try (Vault vault = open(home, env)) {
      vault.put("k", "v");
      assertThat(vault.get("k")).contains("v");
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void deleteOnOneNode_dropsTheOtherNodesCachedRecord_withinASecond() throws Exception {
    String db = pg.createDatabase();
    try (Vault writer = open(home, pg.environment(db))) {
      writer.put("profile:default:github:connection:default", "{\"access_token\":\"t\"}");
      Files.createDirectories(otherHome.resolve("vault"));
      Files.copy(home.resolve("vault/postgres.key"), otherHome.resolve("vault/postgres.key"));
      try (Vault watcher = open(otherHome, pg.environment(db))) {
        watcher.revision(); // as the proxy does: starts the listener and the cache
        awaitCacheServing(watcher);
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          writer.put("profile:default:github:connection:default", "{\"access_token\":\"t" + round + "\"}");
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          while (!watcher.get("profile:default:github:connection:default").orElse("").contains("t" + round)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
          }
          long started = System.nanoTime();
          writer.delete("profile:default:github:connection:default"); // a logout on the other machine
          while (watcher.get("profile:default:github:connection:default").isPresent()) {
            Thread.onSpinWait();
          }
          millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
        System.out.println("MEASURE logout on one node -> record gone from the other node's cache (ms): " + millis);
        // a generous bound (the machine may be loaded); the target, under a second, is what the line above reports
        assertThat(millis).allMatch(ms -> ms < 5000);
      }
    }
  }

  /** Waits until the listener is up, so that reads come from the cache (and only NOTIFY can make them fresh). */
  private static void awaitCacheServing(Vault vault) throws InterruptedException {
    PostgresVault pgVault = (PostgresVault) vault;
    for (int i = 0; i < 100 && !pgVault.caching(); i++) {
      Thread.sleep(50);
    }
    assertThat(pgVault.caching()).as("the change listener connected").isTrue();
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void serverRestart_midRun_losesNoAcknowledgedWrite_andTheListenerComesBack() throws Exception {
    String db = pg.createDatabase();
    try (Vault writer = open(home, pg.environment(db))) {
      writer.put("warm-up", "1");
      Files.createDirectories(otherHome.resolve("vault"));
      Files.copy(home.resolve("vault/postgres.key"), otherHome.resolve("vault/postgres.key"));
      try (Vault watcher = open(otherHome, pg.environment(db))) {
        watcher.revision();
        awaitCacheServing(watcher);
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        var stop = new AtomicBoolean();
        Thread writes = new Thread(() -> {
          for (int i = 0; !stop.get(); i++) {
            String key = "profile:default:p:connection:c" + i;
            try {
              writer.put(key, "{\"n\":" + i + "}");
              acknowledged.add(key);
            } catch (AuthsomeException e) {
              assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
              failed.add(key);
            }
          }
        });
        writes.start();
        Thread.sleep(500);
        pg.restart();
        Thread.sleep(1000);
        stop.set(true);
        writes.join();

        System.out.println("MEASURE writes across a PostgreSQL restart: " + acknowledged.size() + " acknowledged, "
            + failed.size() + " failed with exit 7");
        List<String> stored = writer.keys("profile:default:p:");
        assertThat(stored).containsAll(acknowledged);
        for (String key : acknowledged) {
          assertThat(writer.get(key)).isPresent();
        }
        // the watcher reconnected its listener and re-reads: it sees a write made after the restart
        awaitCacheServing(watcher);
        writer.put("after-restart", "yes");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!watcher.get("after-restart").isPresent()) {
          assertThat(System.nanoTime()).isLessThan(deadline);
        }
      }
    }
  }
}
