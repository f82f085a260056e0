package dev.authsome.vault.keychain;

import java.util.List;
import java.util.Optional;

/**
 * The OS boundary of the keychain backend: one platform's credential store, already scoped to one vault (service
 * {@code authsome}, the vault's UUID). Each platform has one real implementation and, in the tests, one fake; all the
 * platform-neutral logic (large values, locking, the vault id) lives in {@link KeychainVault}.
 *
 * <p>Every method throws {@link dev.authsome.core.AuthsomeException} with code {@code VAULT_UNAVAILABLE} when the
 * store cannot be reached, naming the cause and the fix.
 */
interface CredentialStore extends AutoCloseable {

  /** The stored bytes of the item {@code account}, if any. */
  Optional<byte[]> read(String account);

  /** Creates or replaces the item {@code account}, labelled {@code label}. */
  void write(String account, String label, byte[] value);

  /** Deletes the item {@code account}; returns whether it existed. */
  boolean delete(String account);

  /** Every account of this vault, in no particular order. */
  List<String> accounts();

  /** The largest value this platform stores in one item; larger values go to an encrypted blob file. */
  int maxValueBytes();

  /** Where the items live, for {@code whoami} and {@code doctor}. */
  String describe();

  @Override
  void close();
}
