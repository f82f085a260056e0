package dev.authsome.vault.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import dev.authsome.core.spi.VersionedValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every vault backend meets: the behaviour the engine relies on, whatever stores the records.
 *
 * <p>Every backend of authsome extends this class in its tests, and so does a third-party backend: add
 * {@code dev.authsome:authsome-vault-tck} with {@code test} scope, extend this class, implement
 * {@link #openVault(Path)} (and, for a backend that stores records where a test can reach them,
 * {@link #damageRecord(Path, String)}), and run the tests with JUnit 5 or later. A backend that forgets its records
 * when closed overrides {@link #persistent()} to return {@code false}.
 *
 * <p>Each test gets a fresh, empty temporary home; {@link #openVault(Path)} may be called several times for one home
 * (to reopen it, or to hold two instances at once), and must then reach the same records.
 */
public abstract class VaultContract {

  private static final int THREADS = 8;
  private static final int KEYS_PER_THREAD = 100;

  /** The authsome home of the running test: fresh and empty. Package-private because JUnit refuses private. */
  @TempDir Path home;

  /**
   * Opens the backend's vault for {@code home}, as {@code VaultProvider.open} would with a context naming that home
   * (and whatever environment or settings the backend's test needs, such as a master key). Opening the same home
   * twice must reach the same records when the backend is {@link #persistent()}.
   */
  protected abstract Vault openVault(Path home);

  /**
   * Whether records outlive {@link Vault#close()}. An in-process backend returns {@code false}, which skips the tests
   * that reopen a home.
   */
  protected boolean persistent() {
    return true;
  }

  /**
   * Damages the stored record of {@code key} in the closed vault of {@code home}, as a bad disk block or a stray edit
   * would (for example by flipping one byte of its ciphertext), leaving every other record intact. The default skips
   * the damage test, for backends whose records cannot be reached from outside the process.
   *
   * @throws Exception when the damage cannot be done; the test then fails
   */
  protected void damageRecord(Path home, String key) throws Exception {
    Assumptions.abort(getClass().getSimpleName() + " does not override damageRecord: its records cannot be damaged");
  }

  @Test
  void put_thenGet_returnsTheValue() {
    try (Vault vault = openVault(home)) {
      vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-test-123\"}");
      vault.put("profile:default:openai:state", "");

      assertEquals(Optional.of("{\"api_key\":\"sk-test-123\"}"),
          vault.get("profile:default:openai:connection:default"));
      assertEquals(Optional.of(""), vault.get("profile:default:openai:state"));
    }
  }

  @Test
  void revision_changesOnEveryPutAndDelete_andStaysPutOtherwise() {
    try (Vault vault = openVault(home)) {
      Optional<Object> start = vault.revision();
      assumeTrue(start.isPresent(), "the backend reports no revision: readers poll instead");
      vault.get("k");
      vault.keys("");
      assertEquals(start, vault.revision(), "reads must not change the revision");
      Object afterPut = change(vault, start.get(), () -> vault.put("k", "v1"));
      Object afterReplace = change(vault, afterPut, () -> vault.put("k", "v2"));
      change(vault, afterReplace, () -> vault.delete("k"));
    }
  }

  @Test
  void revision_seesWritesOfAnotherInstanceOfTheSameHome() {
    assumeTrue(persistent(), "an in-process backend has no second instance");
    try (Vault watcher = openVault(home); Vault writer = openVault(home)) {
      Optional<Object> start = watcher.revision();
      assumeTrue(start.isPresent(), "the backend reports no revision: readers poll instead");
      change(watcher, start.get(), () -> writer.put("profile:default:github:connection:default", "{}"));
    }
  }

  @Test
  void snapshotRevision_changesOnEveryWriteOfAnyInstance_andStaysPutOtherwise() {
    try (Vault vault = openVault(home)) {
      vault.put("k", "v0");
      Optional<Object> start = vault.snapshotRevision();
      assumeTrue(start.isPresent(), "the backend promises no snapshot revision: listings read every record");
      vault.get("k");
      vault.keys("");
      assertEquals(start, vault.snapshotRevision(), "reads must not change the snapshot revision");
      vault.put("k", "v1");
      Object afterPut = vault.snapshotRevision().orElseThrow();
      org.junit.jupiter.api.Assertions.assertNotEquals(start.get(), afterPut, "a put must change it");
      vault.delete("k");
      Object afterDelete = vault.snapshotRevision().orElseThrow();
      org.junit.jupiter.api.Assertions.assertNotEquals(afterPut, afterDelete, "a delete must change it");
      if (persistent()) {
        try (Vault writer = openVault(home)) {
          writer.put("profile:default:github:connection:default", "{}");
        }
        org.junit.jupiter.api.Assertions.assertNotEquals(afterDelete, vault.snapshotRevision().orElseThrow(),
            "a write by another instance must change it");
      }
    }
  }

  /** Runs {@code write} and checks that {@code vault}'s revision moved away from {@code before}; returns the new one. */
  private static Object change(Vault vault, Object before, Runnable write) {
    write.run();
    Object after = vault.revision().orElseThrow();
    org.junit.jupiter.api.Assertions.assertNotEquals(before, after, "a write must change the revision");
    return after;
  }

  @Test
  void put_whenKeyExists_replacesTheValue() {
    try (Vault vault = openVault(home)) {
      vault.put("k", "first");
      vault.put("k", "second");

      assertEquals(Optional.of("second"), vault.get("k"));
      assertEquals(List.of("k"), vault.keys(""));
    }
  }

  @Test
  void get_whenKeyIsMissing_returnsEmpty() {
    try (Vault vault = openVault(home)) {
      assertEquals(Optional.empty(), vault.get("profile:default:github:connection:default"), "fresh vault");
      vault.put("profile:default:github:connection:work", "v");
      assertEquals(Optional.empty(), vault.get("profile:default:github:connection:default"), "other key stored");
      assertEquals(Optional.empty(), vault.get("profile:default:github:connection:wor"), "prefix of a stored key");
    }
  }

  @Test
  void unicodeKeysAndValues_roundTripExactly() {
    String key = "profile:default:zürich-☃:connection:日本語 \"quoted\" \\ back";
    String value = "{\"token\":\"ü€𝄞🔑\",\"multi\":\"line\\none\"}\n\ttabs \u0000 nul \u2028 sep";
    try (Vault vault = openVault(home)) {
      vault.put(key, value);
      vault.put("emoji:🔑", "🔑");

      assertEquals(Optional.of(value), vault.get(key));
      assertEquals(Optional.of("🔑"), vault.get("emoji:🔑"));
      assertEquals(List.of("emoji:🔑", key), vault.keys(""));
    }
    if (persistent()) {
      try (Vault vault = openVault(home)) {
        assertEquals(Optional.of(value), vault.get(key), "after reopening");
      }
    }
  }

  @Test
  void largeValue_ofOneMegabyte_roundTrips() {
    String large = randomText(new Random(42), 1 << 20);
    try (Vault vault = openVault(home)) {
      vault.put("large", large);
      vault.put("small", "s");

      assertEquals(large, vault.get("large").orElseThrow());
      assertEquals(Optional.of("s"), vault.get("small"));
    }
    if (persistent()) {
      try (Vault vault = openVault(home)) {
        assertEquals(large, vault.get("large").orElseThrow(), "after reopening");
      }
    }
  }

  @Test
  void keys_returnsOnlyKeysWithThePrefix_sorted() {
    try (Vault vault = openVault(home)) {
      for (String key : List.of("profile:default:openai:state", "profile:default:github:connection:work",
          "profile:default:github:client", "profile:default:github:connection:default",
          "profile:default:githubx:client", "other")) {
        vault.put(key, "v");
      }

      assertEquals(List.of("profile:default:github:connection:default", "profile:default:github:connection:work"),
          vault.keys("profile:default:github:connection:"));
      assertEquals(List.of("profile:default:github:client", "profile:default:github:connection:default",
          "profile:default:github:connection:work"), vault.keys("profile:default:github:"));
      assertEquals(List.of("other", "profile:default:github:client", "profile:default:github:connection:default",
          "profile:default:github:connection:work", "profile:default:githubx:client", "profile:default:openai:state"),
          vault.keys(""));
      assertEquals(List.of(), vault.keys("profile:default:gitlab:"));
    }
  }

  @Test
  void delete_removesTheKey_andSaysWhetherItExisted() {
    try (Vault vault = openVault(home)) {
      vault.put("a", "1");
      vault.put("b", "2");

      assertTrue(vault.delete("a"), "deleting a stored key");
      assertFalse(vault.delete("a"), "deleting it again");
      assertFalse(vault.delete("never-stored"), "deleting a key never stored");
      assertEquals(Optional.empty(), vault.get("a"));
      assertEquals(Optional.of("2"), vault.get("b"));
      assertEquals(List.of("b"), vault.keys(""));
    }
    if (persistent()) {
      try (Vault vault = openVault(home)) {
        assertEquals(List.of("b"), vault.keys(""), "after reopening");
      }
    }
  }

  @Test
  void reopening_seesWhatWasWritten() {
    assumeTrue(persistent(), "the backend keeps records only while open");
    try (Vault vault = openVault(home)) {
      vault.put("profile:default:openai:connection:default", "one");
      vault.put("profile:default:openai:state", "two");
      vault.put("gone", "three");
      vault.delete("gone");
    }
    try (Vault vault = openVault(home)) {
      assertEquals(Optional.of("one"), vault.get("profile:default:openai:connection:default"));
      assertEquals(Optional.of("two"), vault.get("profile:default:openai:state"));
      assertEquals(List.of("profile:default:openai:connection:default", "profile:default:openai:state"),
          vault.keys(""));
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // guards against a deadlock; not a speed requirement
  void concurrentWriters_onEightThreads_loseNoWrite() throws Exception {
    try (Vault vault = openVault(home)) {
      runConcurrently(THREADS, t -> {
        for (int i = 0; i < KEYS_PER_THREAD; i++) {
          vault.put(key(t, i), value(t, i));
        }
      });

      assertAllWritten(vault, THREADS);
    }
    if (persistent()) {
      try (Vault vault = openVault(home)) {
        assertAllWritten(vault, THREADS);
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // guards against a deadlock; not a speed requirement
  void twoOpenInstancesOfOneHome_loseNoWrite() throws Exception {
    assumeTrue(persistent(), "two instances of an in-process backend do not share records");
    try (Vault first = openVault(home); Vault second = openVault(home)) {
      runConcurrently(4, t -> {
        Vault vault = t % 2 == 0 ? first : second;
        for (int i = 0; i < KEYS_PER_THREAD / 2; i++) {
          vault.put(key(t, i), value(t, i));
        }
      });
    }
    try (Vault vault = openVault(home)) {
      for (int t = 0; t < 4; t++) {
        for (int i = 0; i < KEYS_PER_THREAD / 2; i++) {
          assertEquals(Optional.of(value(t, i)), vault.get(key(t, i)), key(t, i));
        }
      }
      assertEquals(4 * (KEYS_PER_THREAD / 2), vault.keys("").size());
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // guards against a deadlock; not a speed requirement
  void lock_isHeldByOneThreadAtATime() throws Exception {
    var inside = new AtomicInteger();
    var overlaps = new AtomicInteger();
    var entries = new AtomicInteger();
    try (Vault vault = openVault(home)) {
      runConcurrently(THREADS, t -> {
        for (int i = 0; i < 25; i++) {
          try (VaultLock lock = vault.lock("refresh:profile:default:github:connection:default")) {
            assertNotNull(lock);
            if (inside.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            entries.incrementAndGet();
            Thread.yield(); // widen the window in which a second holder would be seen
            Thread.sleep(1);
            inside.decrementAndGet();
          }
        }
      });
    }
    assertEquals(0, overlaps.get(), "times a thread entered while another held the lock");
    assertEquals(THREADS * 25, entries.get());
  }

  @Test
  @Timeout(value = 1, unit = TimeUnit.MINUTES) // guards against a deadlock; not a speed requirement
  @SuppressWarnings("try") // the locks matter only for their scope
  void lock_acceptsAnyName_andDifferentNamesDoNotBlockEachOther() throws Exception {
    try (Vault vault = openVault(home)) {
      try (VaultLock a = vault.lock("refresh:zürich/../../etc:☃ with spaces")) {
        // another thread takes a differently named lock while this one is held
        runConcurrently(1, t -> {
          try (VaultLock b = vault.lock("refresh:" + "x".repeat(500))) {
            vault.put("written-under-b", "ok");
          }
        });
        vault.put("written-under-a", "ok");
      }
      assertEquals(Optional.of("ok"), vault.get("written-under-a"));
      assertEquals(Optional.of("ok"), vault.get("written-under-b"));
    }
  }

  @Test
  void compareAndPut_writesOnlyOverTheVersionRead() {
    try (Vault vault = openVault(home)) {
      assertEquals(Optional.empty(), vault.getVersioned("k"));
      assertTrue(vault.compareAndPut("k", VersionedValue.ABSENT, "v1"), "create where nothing is");
      assertFalse(vault.compareAndPut("k", VersionedValue.ABSENT, "again"), "create over an existing record");
      VersionedValue v1 = vault.getVersioned("k").orElseThrow();
      assertEquals("v1", v1.value());

      vault.put("k", "v2"); // another writer, between this writer's read and its write
      assertFalse(vault.compareAndPut("k", v1.version(), "lost update"), "write over a stale version");
      assertEquals(Optional.of("v2"), vault.get("k"));

      VersionedValue v2 = vault.getVersioned("k").orElseThrow();
      org.junit.jupiter.api.Assertions.assertNotEquals(v1.version(), v2.version(), "a new value, a new version");
      assertTrue(vault.compareAndPut("k", v2.version(), "v3"), "write over the version read");
      assertEquals(Optional.of("v3"), vault.get("k"));

      vault.delete("k");
      assertFalse(vault.compareAndPut("k", v2.version(), "resurrected"), "write over a deleted record");
      assertEquals(Optional.empty(), vault.get("k"));
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES) // guards against a deadlock; not a speed requirement
  void readModifyWrite_withCompareAndPut_fromTwoInstances_losesNoUpdate() throws Exception {
    int threads = 4;
    int increments = 25;
    Vault first = openVault(home);
    Vault second = persistent() ? openVault(home) : first;
    try {
      runConcurrently(threads, t -> {
        Vault vault = t % 2 == 0 ? first : second;
        for (int i = 0; i < increments; i++) {
          boolean written = false;
          while (!written) {
            Optional<VersionedValue> current = vault.getVersioned("counter");
            int n = current.map(v -> Integer.parseInt(v.value())).orElse(0);
            written = vault.compareAndPut("counter", current.map(VersionedValue::version).orElse(VersionedValue.ABSENT),
                Integer.toString(n + 1));
          }
        }
      });
      assertEquals(Optional.of(Integer.toString(threads * increments)), first.get("counter"),
          "every increment counted once");
    } finally {
      if (second != first) {
        second.close();
      }
      first.close();
    }
  }

  @Test
  void importKey_takesItsOwnExportedKey_andRefusesAnotherWithoutChangingAnything() {
    try (Vault vault = openVault(home)) {
      vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-kept\"}");
      Optional<byte[]> key = vault.exportKey();
      assumeTrue(key.isPresent(), "the backend has no movable master key");

      vault.importKey(key.get());
      assertEquals(Optional.of("{\"api_key\":\"sk-kept\"}"), vault.get("profile:default:openai:connection:default"));

      byte[] other = new byte[key.get().length];
      new Random(7).nextBytes(other);
      AuthsomeException e = assertThrows(AuthsomeException.class, () -> vault.importKey(other));
      assertEquals(ErrorCode.VAULT_UNAVAILABLE, e.code(), e.getMessage());
      org.junit.jupiter.api.Assertions.assertArrayEquals(key.get(), vault.exportKey().orElseThrow(), "key unchanged");
      assertEquals(Optional.of("{\"api_key\":\"sk-kept\"}"), vault.get("profile:default:openai:connection:default"));
    }
  }

  @Test
  void describe_isOneNonEmptyLine() {
    try (Vault vault = openVault(home)) {
      String description = vault.describe();
      assertFalse(description.isBlank(), "describe() is blank");
      assertFalse(description.contains("\n"), "describe() spans lines: " + description);
    }
  }

  @Test
  void damagedRecord_failsToReadNamingItsKey_andOtherRecordsStillRead() throws Exception {
    String damaged = "profile:default:openai:connection:default";
    String intact = "profile:default:github:connection:default";
    try (Vault vault = openVault(home)) {
      vault.put(damaged, "{\"api_key\":\"sk-damaged\"}");
      vault.put(intact, "{\"access_token\":\"gho-intact\"}");
    }

    damageRecord(home, damaged);

    try (Vault vault = openVault(home)) {
      AuthsomeException e = assertThrows(AuthsomeException.class, () -> vault.get(damaged));
      assertAll(
          () -> assertEquals(ErrorCode.VAULT_UNAVAILABLE, e.code()),
          () -> assertTrue(e.getMessage().contains(damaged), "message names the record: " + e.getMessage()),
          () -> assertFalse(e.getMessage().contains("sk-damaged"), "message shows the secret: " + e.getMessage()),
          () -> assertFalse(e.getMessage().contains("\n"), "message spans lines: " + e.getMessage()),
          () -> assertEquals(Optional.of("{\"access_token\":\"gho-intact\"}"), vault.get(intact)));
    }
  }

  /** A task run on several threads; {@code thread} is its index. */
  @FunctionalInterface
  protected interface ThreadTask {
    void run(int thread) throws Exception;
  }

  /** Runs {@code task} on {@code threads} threads released at the same moment, and rethrows the first failure. */
  protected static void runConcurrently(int threads, ThreadTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<Void>>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Void> body = () -> {
          start.await();
          task.run(thread);
          return null;
        };
        futures.add(pool.submit(body));
      }
      start.countDown();
      for (Future<Void> future : futures) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertAllWritten(Vault vault, int threads) {
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < KEYS_PER_THREAD; i++) {
        assertEquals(Optional.of(value(t, i)), vault.get(key(t, i)), key(t, i));
      }
    }
    assertEquals(threads * KEYS_PER_THREAD, vault.keys("profile:default:").size());
  }

  private static String key(int thread, int i) {
    return "profile:default:p" + thread + ":connection:c" + i;
  }

  private static String value(int thread, int i) {
    return "{\"api_key\":\"key-" + thread + "-" + i + "\"}";
  }

  /** Text mixing ASCII, accented letters, CJK and astral characters, so byte and char lengths differ. */
  private static String randomText(Random random, int chars) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \"\\{}:,\n\tüéß日本語";
    var text = new StringBuilder(chars);
    while (text.length() < chars) {
      if (random.nextInt(64) == 0) {
        text.append("𝄞");
      } else {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    text.setLength(chars - (Character.isHighSurrogate(text.charAt(chars - 1)) ? 1 : 0));
    return text.toString();
  }
}
