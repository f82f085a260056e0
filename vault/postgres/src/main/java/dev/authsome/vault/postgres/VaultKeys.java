package dev.authsome.vault.postgres;

import dev.authsome.core.AuthsomeException;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * The shared vault's key as this node sees it: the key check in {@code authsome_meta} (a constant sealed with the
 * vault's key, stored by the first write) decides whether this machine's key ({@link MasterKey}) is the vault's. Holds
 * the verified cipher with the check it opened, so that writes can carry the check ({@code PostgresVault} share-locks
 * it and compares) and a rekey elsewhere stops them. Creates the key with the first record, imports, exports and
 * rekeys.
 */
final class VaultKeys implements AutoCloseable {
  static final String KEY_CHECK = "key_check";
  private static final String KEY_CHECK_AAD = "authsome:key-check";
  private static final String KEY_CHECK_TEXT = "authsome shared vault key check v1";

  private final Database db;
  private final MasterKey keySource;
  /** The verified cipher with the key check it opened. */
  private volatile @Nullable Keyed keyed;

  VaultKeys(Database db, MasterKey keySource) {
    this.db = db;
    this.keySource = keySource;
  }

  /** Names the key source, never the key. */
  String sourceDescription() {
    return keySource.describe();
  }

  /** This machine's key, for {@code vault key export}; refused while the vault has no key check yet. */
  Optional<byte[]> export() {
    if (existingCipher().isEmpty()) {
      throw AuthsomeException.usage("the shared vault on " + db.url().display() + " has no key yet; it gets one"
          + " with its first record (log in once), then export it");
    }
    return keySource.load().map(SecretKey::getEncoded);
  }

  /** Keeps {@code bytes} as this machine's key if it opens the vault's key check; {@code ready} prepares the tables. */
  void importKey(byte[] bytes, Runnable ready) {
    SecretKey key = MasterKey.fromBytes(bytes, "the imported key");
    if (!keySource.canStore()) {
      throw AuthsomeException.usage("the key comes from " + keySource.describe() + ", which authsome cannot change;"
          + " set that variable to the key instead, or unset it to import into the key file");
    }
    ready.run();
    Optional<String> check = readKeyCheck();
    if (check.isPresent() && !new RecordCipher(key).opens(KEY_CHECK_AAD, check.get())) {
      throw AuthsomeException.vault("the imported key does not open the shared vault on " + db.url().display()
          + " (its key check fails): it is another vault's key; nothing was changed (" + keySource.describe()
          + " is as it was)");
    }
    synchronized (this) {
      keySource.store(key);
      keyed = null;
    }
  }

  /**
   * Re-encrypts every record and the key check under a new key in one transaction, then makes that key this
   * machine's. The new key is kept aside (pending) before the commit, so the database never holds records under a key
   * no machine has: a crash after the commit leaves the pending key, which the next open promotes. Other nodes keep
   * the old key and fail with exit 7 until they import the new one ({@code authsome vault key export} / {@code
   * import}).
   */
  void rekey() {
    if (!keySource.canStore()) {
      throw AuthsomeException.usage("the shared vault's key comes from " + keySource.describe() + ", which authsome"
          + " cannot change: run 'authsome vault rekey' where the key lives in the key file or keychain, then set "
          + keySource.describe() + " to what 'authsome vault key export' prints there");
    }
    Keyed current = existing().orElseThrow(() -> AuthsomeException.usage("the shared vault on "
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
          Database.rollbackQuietly(c);
          throw e;
        } finally {
          Database.autoCommitQuietly(c);
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
  }

  /** The key check as the database holds it now (empty for a vault never written). */
  Optional<String> readCheck() {
    return readKeyCheck();
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
  Optional<RecordCipher> existingCipher() {
    return existing().map(Keyed::records);
  }

  Optional<Keyed> existing() {
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
  Keyed forWrite() {
    Optional<Keyed> existing = existing();
    if (existing.isPresent()) {
      return existing.get();
    }
    synchronized (this) {
      if (keyed != null) {
        return keyed;
      }
      Optional<SecretKey> loaded = keySource.load();
      SecretKey key = loaded.orElseGet(VaultKeys::generateKey);
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
  Keyed reverify() {
    synchronized (this) {
      keyed = null;
    }
    return existing().orElseThrow(() -> AuthsomeException.vault("the shared vault on " + db.url().display()
        + " lost its key check while this node wrote; the tables were changed outside authsome"));
  }

  /** A cipher and the sealed key check it opens. */
  record Keyed(RecordCipher records, String check) {
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

  @Override
  public void close() {
    keySource.close();
  }
}
