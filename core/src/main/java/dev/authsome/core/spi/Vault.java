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

  /** A one-line description for {@code whoami} and {@code doctor}, e.g. {@code file (/home/u/.authsome/vault)}. */
  String describe();

  /**
   * Re-encrypts every record under a new master key, atomically: a crash at any moment leaves either the old key and
   * the old records, or the new key and the new records, valid. Backends without a master key of their own refuse
   * with {@link dev.authsome.core.ErrorCode#USAGE}.
   */
  default void rekey() {
    throw dev.authsome.core.AuthsomeException.usage("the vault " + describe() + " has no master key of its own to"
        + " change; 'authsome vault rekey' applies to the file backend");
  }

  /**
   * A value that changes whenever a record is written or deleted, by this or any other process sharing the vault
   * (equal values mean nothing changed). A running proxy polls it to pick up logins and logouts made elsewhere
   * within a second. Empty when the backend cannot tell; callers then re-read what they need.
   */
  default Optional<Object> revision() {
    return Optional.empty();
  }

  @Override
  void close();
}
