package dev.authsome.vault.file;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Where the vault's AES-256 master key lives: {@link EnvMasterKey} or {@link KeyFileMasterKey} today; an OS keychain
 * source joins here as one more implementation, chosen by {@link MasterKeys#select}.
 */
interface MasterKeySource {

  /** Names the source for messages and {@code describe()}, e.g. {@code AUTHSOME_MASTER_KEY}; never the key. */
  String describe();

  /**
   * The key this source holds; empty when it holds none yet.
   *
   * @throws dev.authsome.core.AuthsomeException (vault unavailable) when a key is there but unusable, naming the
   *     source and never its content
   */
  Optional<SecretKey> load();

  /** Whether {@link #store} can keep a new key here (a source the user fills, such as a variable, cannot). */
  boolean canStore();

  /** Keeps a newly generated key; called only while no vault exists yet, under the vault's write lock. */
  void store(SecretKey key);

  /** What the user can do when the vault exists but this source has no key. */
  String whenMissing();

  /**
   * The next key that a rekey kept aside before switching the records to it; present only while a rekey runs or
   * after one was interrupted.
   */
  default Optional<SecretKey> loadPending() {
    return Optional.empty();
  }

  /** Keeps the next key aside (rekey, before the records switch); only for a source that {@link #canStore}. */
  default void storePending(SecretKey key) {
    throw new UnsupportedOperationException(describe() + " cannot keep a second key");
  }

  /** Makes the pending key the current one and forgets the pending one (rekey, after the records switched). */
  default void promotePending() {
    throw new UnsupportedOperationException(describe() + " cannot keep a second key");
  }

  /** Forgets the pending key, if any (a rekey interrupted before the records switched). */
  default void discardPending() {
  }

  /** Releases what the source holds open (a keychain connection). */
  default void close() {
  }
}
