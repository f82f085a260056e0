package dev.authsome.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * An open vault: a map from record key ({@code profile:default:github:connection:work}) to a record's plaintext JSON.
 * Backends encrypt at rest as they see fit. Every method is safe across threads; {@link #put} and {@link #delete} are
 * safe across processes (no write is ever lost).
 *
 * <p>Errors are {@link dev.authsome.core.AuthsomeException} with code
 * {@link dev.authsome.core.ErrorCode#VAULT_UNAVAILABLE}, naming the file or service and the record.
 */
public interface Vault extends AutoCloseable {

  /** The plaintext stored under {@code key}, if any. */
  Optional<String> get(String key);

  /** Stores {@code value} under {@code key}, replacing any previous value, durably and atomically. */
  void put(String key, String value);

  /** Deletes {@code key}; returns whether it existed. */
  boolean delete(String key);

  /** Every key that starts with {@code prefix}, sorted. */
  List<String> keys(String prefix);

  /**
   * Takes an exclusive lock named {@code name}, held across threads and processes sharing this vault, until the
   * returned handle is closed. Used for read-modify-write sequences and the single-flight token refresh.
   */
  VaultLock lock(String name);

  /**
   * A one-line description for {@code whoami} and {@code doctor}: the backend's id, then the details in brackets, e.g.
   * {@code file (/home/u/.authsome/vault, master key from key file /home/u/.authsome/vault/master.key)}.
   */
  String describe();

  /**
   * Re-encrypts every record under a new master key, atomically: a crash at any moment leaves either the old key and
   * the old records, or the new key and the new records, valid. Backends without a master key of their own refuse
   * with {@link dev.authsome.core.ErrorCode#USAGE}.
   */
  default void rekey() {
    throw dev.authsome.core.AuthsomeException.usage("the vault " + describe() + " has no master key of its own to"
        + " change; 'authsome vault rekey' applies to the file and postgres backends");
  }

  /**
   * Copies every record that still opens into a fresh vault and keeps the damaged vault aside, for {@code authsome
   * vault salvage}: the way out of a vault that a flipped byte, a cut-off write or swapped records made unusable.
   * Returns without changing anything when nothing is damaged. Backends that cannot be damaged this way (or hold no
   * file of their own) refuse with a usage error, which is the default.
   */
  default dev.authsome.core.VaultSalvage salvage() {
    throw dev.authsome.core.AuthsomeException.usage("the vault " + describe() + " keeps no file authsome could"
        + " salvage; 'authsome vault salvage' applies to the file backend");
  }

  /**
   * A value that changes whenever a record is written or deleted, by this or any other process sharing the vault
   * (equal values mean nothing changed). A running proxy polls it to pick up logins and logouts made elsewhere
   * within a second. Empty when the backend cannot tell; callers then re-read what they need.
   */
  default Optional<Object> revision() {
    return Optional.empty();
  }

  /**
   * A {@link #revision()} that a reader can trust for what it read: it changes with every write and is empty while a
   * write is under way, or after one was cut off, until the next write completes. So when two calls, one before and
   * one after reading records, return equal values, the records read are exactly those of that value, and what was
   * derived from them (the listing of 10,000 connections) may be kept under it. Empty (the default) when the backend
   * cannot promise that; callers then read the records.
   */
  default Optional<Object> snapshotRevision() {
    return Optional.empty();
  }

  /**
   * The value stored under {@code key} with its version, for {@link #compareAndPut}. The default derives the version
   * from the value ({@link VersionedValue#versionOf}); a backend with row versions overrides both methods.
   */
  default Optional<VersionedValue> getVersioned(String key) {
    return get(key).map(value -> new VersionedValue(value, VersionedValue.versionOf(value)));
  }

  /**
   * Stores {@code value} under {@code key} only if the record still has {@code expectedVersion} (from
   * {@link #getVersioned}; {@link VersionedValue#ABSENT} for a record that must not exist yet); returns whether it
   * wrote. A read-modify-write that retries on {@code false} never loses another writer's update.
   *
   * <p>The default compares under {@code lock("version:" + key)}, so it is atomic with respect to every other
   * {@code compareAndPut} on the vault, across processes, but not with respect to a plain {@link #put} of the same
   * key; a backend that compares inside its own write (the {@code file}, {@code memory} and {@code postgres} backends)
   * is atomic with respect to both. The engine takes the connection's lock around every write of a connection as
   * well, so the default is enough for its own writers.
   */
  default boolean compareAndPut(String key, long expectedVersion, String value) {
    java.util.Objects.requireNonNull(value, "value");
    try (VaultLock lock = lock("version:" + java.util.Objects.requireNonNull(key, "key"))) {
      long current = get(key).map(VersionedValue::versionOf).orElse(VersionedValue.ABSENT);
      if (current != expectedVersion) {
        return false;
      }
      put(key, value);
      return true;
    }
  }

  /**
   * The vault's own master key (raw bytes), for {@code authsome vault key export}: the way a shared vault's key
   * reaches a secrets manager or another machine. Empty for a backend without a movable key of its own.
   */
  default Optional<byte[]> exportKey() {
    return Optional.empty();
  }

  /**
   * Makes {@code key} this machine's master key of the vault ({@code authsome vault key import}). A key that does
   * not open the vault's existing records is refused with {@link dev.authsome.core.ErrorCode#VAULT_UNAVAILABLE} and
   * changes nothing; the default refuses with {@link dev.authsome.core.ErrorCode#USAGE}.
   */
  default void importKey(byte[] key) {
    java.util.Objects.requireNonNull(key, "key");
    throw dev.authsome.core.AuthsomeException.usage("the vault " + describe() + " has no movable master key;"
        + " 'authsome vault key import' applies to the postgres backend");
  }

  /**
   * Keeps {@code password}, the password this backend logs in to its server with, in this machine's keychain
   * ({@code authsome vault password set}), after the server accepted it; returns where it was kept. A password the
   * server refuses is not kept ({@link dev.authsome.core.ErrorCode#VAULT_UNAVAILABLE}). The default refuses with
   * {@link dev.authsome.core.ErrorCode#USAGE}: only a backend with a server has a password.
   */
  default String storePassword(dev.authsome.core.Secret password) {
    java.util.Objects.requireNonNull(password, "password");
    throw dev.authsome.core.AuthsomeException.usage("the vault " + describe() + " logs in to no server;"
        + " 'authsome vault password set' applies to the postgres backend");
  }

  @Override
  void close();
}
