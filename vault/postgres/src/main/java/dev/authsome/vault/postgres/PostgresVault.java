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
 *       node whose key does not open it fails (exit 7, naming its key source) before it reads or writes a record
 *       ({@link VaultKeys}). Every write share-locks the check and writes only where it is the one this node opened,
 *       so after a {@link #rekey} elsewhere a node with the old key is refused instead of writing under it.
 *   <li><b>Locks.</b> {@link #lock} is a session advisory lock, so single-flight refresh holds across machines; one
 *       thread per name per process waits for it, on a connection of its own.
 *   <li><b>Cache.</b> Once a process watches the vault ({@link #revision()}, as the proxy does) it keeps decrypted
 *       records in a Caffeine cache, dropped per key by {@code NOTIFY} from every writer (see {@link ChangeListener})
 *       and entirely when the listener reconnects or the revision moves. A thread holding a lock reads the database.
 * </ul>
 */
final class PostgresVault implements Vault {
  private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
  /** NOTIFY payloads are limited to 8000 bytes; longer keys are announced as "everything changed". */
  private static final int MAX_NOTIFIED_KEY_BYTES = 7000;

  private final Database db;
  private final VaultKeys vaultKeys;
  private final Cache<String, Optional<VersionedValue>> cache = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(10)).build();
  /** Moves on every invalidation: a read caches its result only if no invalidation happened while it ran. */
  private final AtomicLong epoch = new AtomicLong();
  /** Change notifications received (from any node, this one included); part of {@link #revision()}. */
  private final AtomicLong notifications = new AtomicLong();
  private final ConcurrentMap<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean schemaReady;
  private volatile @Nullable ChangeListener listener;
  private volatile long lastRevision = -1;

  private final java.util.function.UnaryOperator<String> passwordStore;

  /** {@code passwordStore} keeps a database password in the keychain and says where (see {@link #storePassword}). */
  PostgresVault(Database db, MasterKey keySource, java.util.function.UnaryOperator<String> passwordStore) {
    this.db = db;
    this.vaultKeys = new VaultKeys(db, keySource);
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
      RecordCipher records = vaultKeys.existingCipher().orElseThrow(() -> AuthsomeException.vault("record '" + key + "' on "
          + db.url().display() + " exists but the vault has no key check, so no key can be trusted to open it;"
          + " the tables were changed outside authsome: restore the database from a backup"));
      Optional<String> opened = records.open(key, row.sealed());
      if (opened.isEmpty()) {
        // another node may have rekeyed the vault: verifying the key again fails naming the key source if so
        opened = reverify().records().open(key, row.sealed());
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

  /**
   * The key check, share-locked, as the first part of every write: a write inserts or updates only where it is still
   * the one this node opened ({@code ? = value}). A rekey locks it for update before it reads the records, so it waits
   * for writes in flight; a write that waits for a rekey's lock gets the new check (READ COMMITTED returns the updated
   * row to a locking read) and writes nothing. So no record is ever written under a key the vault no longer uses.
   */
  private static final String KEY_CHECK_CTE = "WITH k AS (SELECT value FROM authsome_meta WHERE name = '"
      + VaultKeys.KEY_CHECK + "' FOR SHARE), ";

  @Override
  public void put(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    checkOpen();
    ensureSchema();
    try {
      VaultKeys.Keyed keys = vaultKeys.forWrite();
      for (int attempt = 0; ; attempt++) {
        String sealed = keys.records().seal(key, value);
        String check = keys.check();
        boolean wrote = db.run("write record '" + key + "'", true, c -> {
          try (PreparedStatement s = c.prepareStatement(KEY_CHECK_CTE + "w AS ("
              + " INSERT INTO authsome_records (record_key, profile, provider, connection, sealed, version)"
              + " SELECT ?, ?, ?, ?, ?, nextval('authsome_revision') FROM k WHERE k.value = ?"
              + " ON CONFLICT (record_key) DO UPDATE SET sealed = EXCLUDED.sealed, version = EXCLUDED.version,"
              + " updated_at = now() RETURNING version)"
              + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w")) {
            bindIndexed(s, key, sealed);
            s.setString(6, check);
            s.setString(7, notified(key));
            try (ResultSet rs = s.executeQuery()) {
              return rs.next(); // an upsert always writes, unless the key check changed
            }
          }
        });
        if (wrote) {
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
      VaultKeys.Keyed keys = vaultKeys.forWrite();
      for (int attempt = 0; ; attempt++) {
        String sealed = keys.records().seal(key, value);
        String check = keys.check();
        // not retried: after a lost connection nobody knows whether the write happened; the caller re-reads
        boolean wrote = db.run("write record '" + key + "'", false, c -> {
          String sql = expectedVersion == VersionedValue.ABSENT
              ? KEY_CHECK_CTE + "w AS (INSERT INTO authsome_records (record_key, profile, provider, connection,"
                  + " sealed, version) SELECT ?, ?, ?, ?, ?, nextval('authsome_revision') FROM k WHERE k.value = ?"
                  + " ON CONFLICT (record_key) DO NOTHING RETURNING version)"
                  + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w"
              : KEY_CHECK_CTE + "w AS (UPDATE authsome_records SET sealed = ?,"
                  + " version = nextval('authsome_revision'), updated_at = now() WHERE record_key = ? AND version = ?"
                  + " AND EXISTS (SELECT 1 FROM k WHERE k.value = ?) RETURNING version)"
                  + " SELECT pg_notify('" + ChangeListener.CHANNEL + "', version || ' ' || ?) FROM w";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            if (expectedVersion == VersionedValue.ABSENT) {
              bindIndexed(s, key, sealed);
              s.setString(6, check);
              s.setString(7, notified(key));
            } else {
              s.setString(1, sealed);
              s.setString(2, key);
              s.setLong(3, expectedVersion);
              s.setString(4, check);
              s.setString(5, notified(key));
            }
            try (ResultSet rs = s.executeQuery()) {
              return rs.next();
            }
          }
        });
        // nothing written: another version (the caller re-reads), or a rekey elsewhere (only then verify again)
        if (wrote || vaultKeys.readCheck().filter(check::equals).isPresent()) {
          return wrote;
        }
        keys = rekeyedWhileWriting(key, attempt);
      }
    } finally {
      invalidate(key);
    }
  }

  /** The keys to write with after a rekey elsewhere changed the key check (once; then the write fails). */
  private VaultKeys.Keyed rekeyedWhileWriting(String key, int attempt) {
    if (attempt > 0) {
      throw AuthsomeException.vault("record '" + key + "' on " + db.url().display() + " was not written: the vault's"
          + " key changed twice while writing (another node is rekeying it); run the command again");
    }
    return reverify();
  }

  @Override
  public boolean delete(String key) {
    requireNonNull(key, "key");
    checkOpen();
    ensureSchema();
    if (vaultKeys.existingCipher().isEmpty()) {
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
    return "postgres (" + db.url().display() + ", " + schema + ", master key from " + vaultKeys.sourceDescription() + ")";
  }

  @Override
  public Optional<byte[]> exportKey() {
    checkOpen();
    ensureSchema();
    return vaultKeys.export();
  }

  @Override
  public void importKey(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    checkOpen();
    vaultKeys.importKey(bytes, this::ensureSchema);
    invalidateAll();
  }

  /**
   * See {@link VaultKeys#rekey}: every record and the key check re-sealed in one transaction; other nodes keep the
   * old key and fail with exit 7 until they import the new one.
   */
  @Override
  public void rekey() {
    checkOpen();
    ensureSchema();
    vaultKeys.rekey();
    invalidateAll();
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
      vaultKeys.close();
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

  /** Forgets the verified key and verifies again (another node may have rekeyed), after dropping the cache. */
  private VaultKeys.Keyed reverify() {
    invalidateAll();
    return vaultKeys.reverify();
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
