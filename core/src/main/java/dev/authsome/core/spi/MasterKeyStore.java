package dev.authsome.core.spi;

import java.util.Optional;

/**
 * An open {@link MasterKeyStoreProvider store} of master keys, by name ({@code master-key}; a rekey writes the next
 * key under another name before switching). Every method throws {@link dev.authsome.core.AuthsomeException} with code
 * {@code VAULT_UNAVAILABLE} when the store stops answering; messages never contain a key.
 */
public interface MasterKeyStore extends AutoCloseable {

  /** The key stored under {@code name}, if any. */
  Optional<byte[]> read(String name);

  /** Stores {@code key} under {@code name}, replacing any previous one. */
  void write(String name, byte[] key);

  /** Deletes the key {@code name}; returns whether it existed. */
  boolean delete(String name);

  /** Where the keys live, one line, e.g. {@code Secret Service, keyring 'Login'}. */
  String describe();

  @Override
  void close();
}
