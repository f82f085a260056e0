package dev.authsome.vault.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import dev.authsome.core.spi.VersionedValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The shared vault: one row per record in {@code authsome_records}, its value sealed by {@link RecordCipher} before it
 * leaves the process.
 *
 * <ul>
 *   <li><b>Versions.</b> Every write takes a new value of the {@code authsome_revision} sequence as the row's
 *       version, in the same statement; {@link #compareAndPut} writes only where the version is still the one read,
 *       so a lost update is impossible. {@link #revision()} is the sequence's last value (with the count of change
 *       notifications received, which move only after a commit).
 *   <li><b>Key check.</b> The first write stores a constant sealed with the vault's key ({@code authsome_meta}); a
 *       node whose key does not open it fails (exit 7, naming its key source) before it reads or writes a record.
 *   <li><b>Locks.</b> {@link #lock} is a session advisory lock, so single-flight refresh holds across machines; one
 *       thread per name per process waits for it, on a connection of its own.
 *   <li><b>Cache.</b> Once a process watches the vault ({@link #revision()}, as the proxy does) it keeps decrypted
 *       records in a Caffeine cache, dropped per key by {@code NOTIFY} from every writer (see {@link ChangeListener})
 *       and entirely when the listener reconnects or the revision moves. A thread holding a lock reads the database.
 * </ul>
 */
final class PostgresVault implements Vault {
  static final String KEY_CHECK = "key_check";
  private static final String KEY_CHECK_AAD = "authsome:key-check";
  private static final String KEY_CHECK_TEXT = "authsome shared vault key check v1";
  private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
  /** NOTIFY payloads are limited to 8000 bytes; longer keys are announced as "everything changed". */
  private static final int MAX_NOTIFIED_KEY_BYTES = 7000;

  private final Database db;
  private final MasterKey keySource;
  private final Cache<String, Optional<VersionedValue>> cache = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  /** Moves on every invalidation: a read caches its result only if no invalidation happened while it ran. */
  private final AtomicLong epoch = new AtomicLong();
  /** Change notifications received (from any node, this one included); part of {@link #revision()}. */
  private final AtomicLong notifications = new AtomicLong();
  private final ConcurrentMap<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The verified cipher with the key check it opened; writes carry the check, so a rekey elsewhere stops them. */
  private volatile @Nullable Keyed keyed;
  private volatile boolean schemaReady;
  private volatile @Nullable ChangeListener listener;
  private volatile long lastRevision = -1;

  private final java.util.function.UnaryOperator<String> passwordStore;

  /** {@code passwordStore} keeps a database password in the keychain and says where (see {@link #storePassword}). */
  PostgresVault(Database db, MasterKey keySource, java.util.function.UnaryOperator<String> passwordStore) {
    this.db = db;
    this.keySource = keySource;
    this.passwordStore = passwordStore;
  }

  @Override
  public Optional<String> get(String key) {
    return getVersioned(key).map(VersionedValue::value);
  }

  @Override
  public Optional<VersionedValue> getVersioned(String key) {
    requireNonNull(key, "key");
    checkOpen();
    boolean cached = cacheUsable();
    if (cached) {
      Optional<VersionedValue> hit = cache.getIfPresent(key);
      if (hit != null) {
        return hit;
      }
    }
    ensureSchema();
    long before = epoch.get();
    Row row = db.run("read record '" + key + "'", true, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT sealed, version FROM authsome_records WHERE record_key = ?")) {
        s.setString(1, key);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? new Row(rs.getString(1), rs.getLong(2)) : null;
        }
      }
    });
    Optional<VersionedValue> value = Optional.empty();
    if (row != null) {
      RecordCipher records = existingCipher().orElseThrow(() -> AuthsomeException.vault("record '" + key + "' on "
          + db.url().display() + " exists but the vault has no key check, so no key can be trusted to open it;"
          + " the tables were changed outside authsome: restore the database from a backup"));
      Optional<String> opened = records.open(key, row.sealed());
      if (opened.isEmpty()) {
        // another node may have rekeyed the vault: verifying the key again fails naming the key source if so
        opened = rekeyedElsewhere().records().open(key, row.sealed());
      }
      String plain = opened.orElseThrow(() -> AuthsomeException.vault("record '" + key
          + "' on " + db.url().display() + " does not decrypt with the vault's key (which opens the vault's key"
          + " check), so it is damaged; delete it (authsome logout) and log in again, or restore the database"));
      value = Optional.of(new VersionedValue(plain, row.version()));
    }
    if (cached && epoch.get() == before) {
      cache.put(key, value);
    }
    return value;
  }

  @Override
  public void put(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    checkOpen();
    ensureSchema();
    try {
      Keyed keys = cipherForWrite();
      for (int attempt = 0; ; attempt++) {
        String sealed = keys.records().seal(key, value);
        Optional<Boolean> wrote = guarded("write record '" + key + "'", true, keys, c -> {
          try (PreparedStatement s = c.prepareStatement("WITH w AS ("
              + " INSERT INTO authsome_records (record_key, profile, provider, connection, sealed, version)"
              + " VALUES (?, ?, ?, ?, ?, nextval('authsome_revision'))"
              + " ON CONFLICT (record_key) DO UPDATE SET sealed = EXCLUDED.sealed, version = EXCLUDED.version,"
              + " updated_at = now() RETURNING version)"
              + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w")) {
            bindIndexed(s, key, sealed);
            s.setString(6, notified(key));
            s.executeQuery().close();
            return true;
          }
        });
        if (wrote.isPresent()) {
          return;
        }
        keys = rekeyedWhileWriting(key, attempt);
      }
    } finally {
      invalidate(key);
    }
  }

  @Override
  public boolean compareAndPut(String key, long expectedVersion, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    checkOpen();
    ensureSchema();
    try {
      Keyed keys = cipherForWrite();
      for (int attempt = 0; ; attempt++) {
        String sealed = keys.records().seal(key, value);
        // not retried: after a lost connection nobody knows whether the write happened; the caller re-reads
        Optional<Boolean> wrote = guarded("write record '" + key + "'", false, keys, c -> {
          String sql = expectedVersion == VersionedValue.ABSENT
              ? "WITH w AS (INSERT INTO authsome_records (record_key, profile, provider, connection, sealed, version)"
                  + " VALUES (?, ?, ?, ?, ?, nextval('authsome_revision')) ON CONFLICT (record_key) DO NOTHING"
                  + " RETURNING version)"
                  + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w"
              : "WITH w AS (UPDATE authsome_records SET sealed = ?, version = nextval('authsome_revision'),"
                  + " updated_at = now() WHERE record_key = ? AND version = ? RETURNING version)"
                  + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            if (expectedVersion == VersionedValue.ABSENT) {
              bindIndexed(s, key, sealed);
              s.setString(6, notified(key));
            } else {
              s.setString(1, sealed);
              s.setString(2, key);
              s.setLong(3, expectedVersion);
              s.setString(4, notified(key));
            }
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
        if (wrote.isPresent()) {
          return wrote.get();
        }
        keys = rekeyedWhileWriting(key, attempt);
      }
    } finally {
      invalidate(key);
    }
  }

  /**
   * Runs {@code write} in a transaction that first share-locks the key check and finds it still the one
   * {@code keys} opened; empty (nothing written) when it changed. A rekey locks the key check for update before it
   * reads the records, so it waits for writes in flight, and writes after it find the new key check: no record is
   * ever written under a key the vault no longer uses.
   */
  private <T> Optional<T> guarded(String what, boolean retry, Keyed keys, Database.Work<T> write) {
    return db.run(what, retry, c -> {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement s = c.prepareStatement("SELECT value FROM authsome_meta WHERE name = ? FOR SHARE")) {
          s.setString(1, KEY_CHECK);
          try (ResultSet rs = s.executeQuery()) {
            if (!rs.next() || !rs.getString(1).equals(keys.check())) {
              c.rollback();
              return Optional.<T>empty();
            }
          }
        }
        T result = write.run(c);
        c.commit();
        return Optional.of(result);
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        autoCommitQuietly(c);
      }
    });
  }

  /** The keys to write with after a rekey elsewhere changed the key check (once; then the write fails). */
  private Keyed rekeyedWhileWriting(String key, int attempt) {
    if (attempt > 0) {
      throw AuthsomeException.vault("record '" + key + "' on " + db.url().display() + " was not written: the vault's"
          + " key changed twice while writing (another node is rekeying it); run the command again");
    }
    return rekeyedElsewhere();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the connection broke: the server rolls the transaction back itself
    }
  }

  private static void autoCommitQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // a broken connection; the pool discards it
    }
  }

  /**
   * Re-encrypts every record and the key check under a new key in one transaction, then makes that key this
   * machine's. The new key is kept aside (pending) before the commit, so the database never holds records under a key
   * no machine has: a crash after the commit leaves the pending key, which the next open promotes. Other nodes keep
   * the old key and fail with exit 7 until they import the new one ({@code authsome vault key export} / {@code
   * import}).
   */
  @Override
  public void rekey() {
    checkOpen();
    ensureSchema();
    if (!keySource.canStore()) {
      throw AuthsomeException.usage("the shared vault's key comes from " + keySource.describe() + ", which authsome"
          + " cannot change: run 'authsome vault rekey' where the key lives in the key file or keychain, then set "
          + keySource.describe() + " to what 'authsome vault key export' prints there");
    }
    Keyed current = existingKeyed().orElseThrow(() -> AuthsomeException.usage("the shared vault on "
        + db.url().display() + " has no key yet (no record was ever written); there is nothing to rekey"));
    SecretKey next = generateKey();
    RecordCipher fresh = new RecordCipher(next);
    String freshCheck = fresh.seal(KEY_CHECK_AAD, KEY_CHECK_TEXT);
    keySource.storePending(next);
    var committing = new AtomicBoolean();
    try {
      db.run("re-encrypt every record", false, c -> {
        c.setAutoCommit(false);
        try {
          // first the key check: waits for writes in flight, and holds back later ones until the commit
          try (PreparedStatement s = c.prepareStatement(
              "SELECT value FROM authsome_meta WHERE name = ? FOR UPDATE")) {
            s.setString(1, KEY_CHECK);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next() || !rs.getString(1).equals(current.check())) {
                throw AuthsomeException.vault("the shared vault on " + db.url().display() + " was rekeyed by"
                    + " another node meanwhile; nothing was changed; import its key (authsome vault key import"
                    + " --stdin) before rekeying again");
              }
            }
          }
          List<String[]> rows = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(
              "SELECT record_key, sealed FROM authsome_records ORDER BY record_key FOR UPDATE");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              String key = rs.getString(1);
              String plain = current.records().open(key, rs.getString(2)).orElseThrow(() -> AuthsomeException.vault(
                  "refusing to rekey the shared vault on " + db.url().display() + ": record '" + key + "' does not"
                      + " decrypt with the vault's key; delete it (authsome logout) or restore the database; nothing"
                      + " was changed"));
              rows.add(new String[] {key, fresh.seal(key, plain)});
            }
          }
          try (PreparedStatement s = c.prepareStatement("UPDATE authsome_records SET sealed = ?,"
              + " version = nextval('authsome_revision'), updated_at = now() WHERE record_key = ?")) {
            for (String[] row : rows) {
              s.setString(1, row[1]);
              s.setString(2, row[0]);
              s.addBatch();
            }
            s.executeBatch();
          }
          try (PreparedStatement s = c.prepareStatement("UPDATE authsome_meta SET value = ? WHERE name = ?")) {
            s.setString(1, freshCheck);
            s.setString(2, KEY_CHECK);
            s.executeUpdate();
          }
          try (PreparedStatement s = c.prepareStatement("SELECT pg_notify('" + ChangeListener.CHANNEL + "',"
              + " nextval('authsome_revision') || ' " + ChangeListener.ALL + "')")) {
            s.executeQuery().close();
          }
          committing.set(true);
          c.commit();
          return rows.size();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        } finally {
          autoCommitQuietly(c);
        }
      });
    } catch (RuntimeException e) {
      if (!committing.get()) {
        keySource.discardPending(); // the database keeps the old key, and so does this machine
      } // else the commit's outcome is unknown: the pending key stays, and opens the vault if it did commit
      throw e;
    }
    keySource.promotePending();
    synchronized (this) {
      keyed = new Keyed(fresh, freshCheck);
    }
    invalidateAll();
  }

  @Override
  public boolean delete(String key) {
    requireNonNull(key, "key");
    checkOpen();
    ensureSchema();
    if (existingCipher().isEmpty()) {
      return false; // no key check, so no record was ever written through authsome
    }
    try {
      return db.run("delete record '" + key + "'", true, c -> {
        try (PreparedStatement s = c.prepareStatement("WITH d AS ("
            + " DELETE FROM authsome_records WHERE record_key = ? RETURNING record_key)"
            + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', nextval('authsome_revision') || ' ' || ?)"
            + " FROM d")) {
          s.setString(1, key);
          s.setString(2, notified(key));
          try (ResultSet rs = s.executeQuery()) {
            return rs.next();
          }
        }
      });
    } finally {
      invalidate(key);
    }
  }

  @Override
  public List<String> keys(String prefix) {
    requireNonNull(prefix, "prefix");
    checkOpen();
    ensureSchema();
    List<String> keys = db.run("list records", true, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT record_key FROM authsome_records WHERE starts_with(record_key, ?)")) {
        s.setString(1, prefix);
        List<String> found = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
        return found;
      }
    });
    Collections.sort(keys); // Java's order (UTF-16), which the contract asks for, not the database's
    return List.copyOf(keys);
  }

  /**
   * The {@code authsome_revision} sequence: every write and delete of any node moves it. One indexed read; when it
   * moved, the cache is dropped, so whoever sees a new revision reads fresh records. The first call starts the
   * change listener, so only processes that watch the vault (the proxy) hold a second connection and a cache.
   */
  @Override
  public Optional<Object> revision() {
    checkOpen();
    ensureSchema();
    startListener();
    long revision = db.run("read the vault's revision", true, c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM authsome_revision");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
    if (revision != lastRevision) {
      lastRevision = revision;
      invalidateAll();
    }
    return Optional.of(new Revision(revision, notifications.get()));
  }

  /**
   * A revision: the sequence's value and the number of change notifications this process received. The sequence
   * alone is not enough: {@code nextval} is visible to everyone at once, but the row change only at its commit, so a
   * watcher that reads the new value and re-reads in that gap would keep the old record until the next change. The
   * notification is delivered only after the commit, so counting it moves the revision once more, when the change is
   * visible.
   */
  private record Revision(long sequence, long notifications) {
  }

  @Override
  public VaultLock lock(String name) {
    requireNonNull(name, "name");
    checkOpen();
    ReentrantLock local = localLocks.computeIfAbsent(name, n -> new ReentrantLock());
    local.lock(); // one waiter per name per process; the others wait here without holding a connection
    boolean taken = false;
    try {
      long id = lockId(name);
      Connection c = db.lockConnection();
      try {
        waitForAdvisoryLock(c, id, name);
        taken = true;
      } finally {
        if (!taken) {
          db.releaseLockConnection();
        }
      }
      var released = new AtomicBoolean();
      return () -> {
        if (released.compareAndSet(false, true)) {
          try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, id);
            s.executeQuery().close();
          } catch (SQLException e) {
            // the session is gone (server restart), and its advisory locks with it
          } finally {
            db.releaseLockConnection();
            local.unlock();
          }
        }
      };
    } finally {
      if (!taken) {
        local.unlock();
      }
    }
  }

  /** Polls {@code pg_try_advisory_lock}: no statement waits long, so no timeout cuts a legitimate wait short. */
  private void waitForAdvisoryLock(Connection c, long id, String name) {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    long pause = 5;
    try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      s.setLong(1, id);
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
        }
        if (System.nanoTime() > deadline) {
          throw AuthsomeException.vault("waited " + LOCK_WAIT.toSeconds() + " s for the lock '" + name + "' on "
              + db.url().display() + ", which another node holds; if that node hung, its lock ends with its"
              + " session (pg_terminate_backend), then run the command again");
        }
        Thread.sleep(pause);
        pause = Math.min(pause * 2, 100);
      }
    } catch (SQLException e) {
      throw db.failure("take the lock '" + name + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AuthsomeException.vault("interrupted while waiting for the lock '" + name + "'; run the command again", e);
    }
  }

  /**
   * {@code postgres (host:port/db, schema v1, master key from ...)}. Brings the schema up to date first, so that
   * {@code doctor} shows the version it checked; when the server cannot be reached the line says so instead (the
   * operation that needs the server reports the error).
   */
  @Override
  public String describe() {
    String schema;
    try {
      ensureSchema();
      schema = "schema v" + Schema.CURRENT;
    } catch (AuthsomeException | IllegalStateException e) {
      schema = "schema not checked: server unavailable";
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof Schema.SchemaTooNew tooNew) {
          schema = "schema v" + tooNew.found + " is newer than this authsome's v" + Schema.CURRENT;
        }
      }
    }
    return "postgres (" + db.url().display() + ", " + schema + ", master key from " + keySource.describe() + ")";
  }

  @Override
  public Optional<byte[]> exportKey() {
    checkOpen();
    ensureSchema();
    Optional<RecordCipher> records = existingCipher();
    if (records.isEmpty()) {
      throw AuthsomeException.usage("the shared vault on " + db.url().display() + " has no key yet; it gets one"
          + " with its first record (log in once), then export it");
    }
    return keySource.load().map(SecretKey::getEncoded);
  }

  @Override
  public void importKey(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    checkOpen();
    SecretKey key = MasterKey.fromBytes(bytes, "the imported key");
    if (!keySource.canStore()) {
      throw AuthsomeException.usage("the key comes from " + keySource.describe() + ", which authsome cannot change;"
          + " set that variable to the key instead, or unset it to import into the key file");
    }
    ensureSchema();
    Optional<String> check = readKeyCheck();
    if (check.isPresent() && !new RecordCipher(key).opens(KEY_CHECK_AAD, check.get())) {
      throw AuthsomeException.vault("the imported key does not open the shared vault on " + db.url().display()
          + " (its key check fails): it is another vault's key; nothing was changed (" + keySource.describe()
          + " is as it was)");
    }
    synchronized (this) {
      keySource.store(key);
      keyed = null;
      invalidateAll();
    }
  }

  /** Logs in with {@code password} first: a password the server refuses is never kept. */
  @Override
  public String storePassword(dev.authsome.core.Secret password) {
    requireNonNull(password, "password");
    checkOpen();
    String value = password.reveal();
    if (value.isEmpty()) {
      throw AuthsomeException.usage("the password is empty; pipe the database password in: printf %s \"$PW\" |"
          + " authsome vault password set --stdin");
    }
    db.checkLogin(value);
    return passwordStore.apply(value);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      ChangeListener l = listener;
      if (l != null) {
        l.close();
      }
      db.close();
      keySource.close();
      cache.invalidateAll();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void ensureSchema() {
    if (schemaReady) {
      return;
    }
    synchronized (this) {
      if (schemaReady) {
        return;
      }
      try {
        db.run("prepare the vault's tables", true, Schema::ensure);
      } catch (AuthsomeException e) {
        if (e.getCause() instanceof Schema.SchemaTooNew tooNew) {
          throw AuthsomeException.vault("the shared vault on " + db.url().display() + " has schema version "
              + tooNew.found + ", newer than this authsome knows (" + Schema.CURRENT + "): another node runs a newer"
              + " authsome; upgrade authsome on this machine", e);
        }
        throw e;
      }
      schemaReady = true;
    }
  }

  /** Whether reads may come from the cache now (the listener is connected); for tests. */
  boolean caching() {
    ChangeListener l = listener;
    return l != null && l.listening();
  }

  private boolean cacheUsable() {
    ChangeListener l = listener;
    return l != null && l.listening() && !db.holdsLock();
  }

  private synchronized void startListener() {
    if (listener == null) {
      ChangeListener l = new ChangeListener(db, this::changed, this::invalidateAll);
      listener = l;
      l.start();
    }
  }

  private void changed(String key) {
    if (key.equals(ChangeListener.ALL)) {
      invalidateAll();
    } else {
      invalidate(key);
    }
    notifications.incrementAndGet(); // after the cache drop: whoever sees the new revision reads fresh records
  }

  private void invalidate(String key) {
    epoch.incrementAndGet();
    cache.invalidate(key);
  }

  private void invalidateAll() {
    epoch.incrementAndGet();
    cache.invalidateAll();
  }

  private Optional<String> readKeyCheck() {
    return Optional.ofNullable(db.run("read the vault's key check", true, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT value FROM authsome_meta WHERE name = ?")) {
        s.setString(1, KEY_CHECK);
        try (ResultSet rs = s.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    }));
  }

  /** The cipher of a vault that has a key check (verified against it); empty for a vault never written. */
  private Optional<RecordCipher> existingCipher() {
    return existingKeyed().map(Keyed::records);
  }

  private Optional<Keyed> existingKeyed() {
    Keyed known = keyed;
    if (known != null) {
      return Optional.of(known);
    }
    synchronized (this) {
      if (keyed != null) {
        return Optional.of(keyed);
      }
      Optional<String> check = readKeyCheck();
      if (check.isEmpty()) {
        return Optional.empty();
      }
      keyed = new Keyed(verified(check.get()), check.get());
      return Optional.of(keyed);
    }
  }

  /**
   * The cipher for a write: the verified one, or for a vault never written a key from this machine's source (a new
   * one when it has none, kept there in the same transaction that stores the key check).
   */
  private Keyed cipherForWrite() {
    Optional<Keyed> existing = existingKeyed();
    if (existing.isPresent()) {
      return existing.get();
    }
    synchronized (this) {
      if (keyed != null) {
        return keyed;
      }
      Optional<SecretKey> loaded = keySource.load();
      SecretKey key = loaded.orElseGet(PostgresVault::generateKey);
      String check = new RecordCipher(key).seal(KEY_CHECK_AAD, KEY_CHECK_TEXT);
      boolean inserted = db.run("create the vault's key check", false, c -> {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO authsome_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
          s.setString(1, KEY_CHECK);
          s.setString(2, check);
          boolean created = s.executeUpdate() == 1;
          if (created && loaded.isEmpty()) {
            keySource.store(key); // before the commit: a key check is never left without its key
          }
          c.commit();
          return created;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      });
      if (inserted) {
        keyed = new Keyed(new RecordCipher(key), check);
      } else { // another node created the vault at the same moment: its key is the vault's
        String theirs = readKeyCheck().orElseThrow();
        keyed = new Keyed(verified(theirs), theirs);
      }
      return keyed;
    }
  }

  /**
   * After a write found the key check changed (another node rekeyed): forget the cipher and verify again, which
   * either finds this machine's key (a rekey on this machine, or its pending key) or fails naming the key source.
   */
  private Keyed rekeyedElsewhere() {
    synchronized (this) {
      keyed = null;
    }
    invalidateAll();
    return existingKeyed().orElseThrow(() -> AuthsomeException.vault("the shared vault on " + db.url().display()
        + " lost its key check while this node wrote; the tables were changed outside authsome"));
  }

  /** A cipher and the sealed key check it opens. */
  private record Keyed(RecordCipher records, String check) {
  }

  private RecordCipher verified(String check) {
    SecretKey key = keySource.load().orElseThrow(() -> AuthsomeException.vault("the shared vault on "
        + db.url().display() + " was created elsewhere and this machine has no key for it (" + keySource.describe()
        + " not found); on a machine that has the key run 'authsome vault key export', then here 'authsome vault key"
        + " import --stdin' (or set " + MasterKey.VARIABLE + ")"));
    RecordCipher records = new RecordCipher(key);
    if (!records.opens(KEY_CHECK_AAD, check)) {
      // a rekey on this machine committed but stopped before making its new key the key: finish it
      Optional<SecretKey> pending = keySource.loadPending();
      if (pending.isPresent() && new RecordCipher(pending.get()).opens(KEY_CHECK_AAD, check)) {
        keySource.promotePending();
        return new RecordCipher(pending.get());
      }
      throw AuthsomeException.vault("the master key from " + keySource.describe() + " does not open the shared"
          + " vault on " + db.url().display() + " (its key check fails): it is another vault's key; nothing was"
          + " read or written; import the right key with 'authsome vault key import --stdin' or correct "
          + keySource.describe());
    }
    return records;
  }

  private static SecretKey generateKey() {
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(RecordCipher.KEY_BYTES * 8, RecordCipher.Randomness.INSTANCE);
      return generator.generateKey();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no AES key generator", e);
    }
  }

  /** Binds key, profile, provider, connection and sealed value (parameters 1 to 5). */
  private static void bindIndexed(PreparedStatement s, String key, String sealed) throws SQLException {
    String[] parts = key.split(":", -1);
    boolean profiled = parts.length >= 3 && parts[0].equals("profile");
    s.setString(1, key);
    s.setString(2, profiled ? parts[1] : null);
    s.setString(3, profiled ? parts[2] : null);
    s.setString(4, profiled && parts.length >= 5 && parts[3].equals("connection") ? parts[4] : null);
    s.setString(5, sealed);
  }

  private static String notified(String key) {
    return key.getBytes(UTF_8).length > MAX_NOTIFIED_KEY_BYTES ? ChangeListener.ALL : key;
  }

  /** The advisory lock key of {@code name}: 64 bits of SHA-256, apart from the migration lock's constant. */
  static long lockId(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(("authsome-lock:" + name).getBytes(UTF_8));
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = id << 8 | (digest[i] & 0xff);
      }
      return id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the vault on " + db.url().display() + " is closed");
    }
  }

  private record Row(String sealed, long version) {
  }
}
