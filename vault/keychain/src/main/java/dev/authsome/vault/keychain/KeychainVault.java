package dev.authsome.vault.keychain;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The keychain vault: each record is its own keychain item (label {@code authsome: <key>}, service {@code authsome},
 * account = the record key, scoped by the vault id). Platform-neutral: the OS is behind {@link CredentialStore}.
 * Values over the platform's item limit are kept as encrypted blobs whose key is the item ({@link BlobFiles}).
 */
final class KeychainVault implements Vault {
  static final String LABEL_PREFIX = "authsome: ";

  private final CredentialStore store;
  private final BlobFiles blobs;
  private final FileLocks locks;

  KeychainVault(CredentialStore store, BlobFiles blobs, FileLocks locks) {
    this.store = store;
    this.blobs = blobs;
    this.locks = locks;
  }

  @Override
  public Optional<String> get(String key) {
    requireNonNull(key, "key");
    return store.read(key).map(item -> decode(key, item));
  }

  @Override
  public void put(String key, String value) {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Optional<byte[]> previous = store.read(key);
    // A new blob is written before the item points to it, and the old blob is deleted only after: a crash in between
    // leaves at most an orphaned file, never an item without its blob.
    byte[] item = BlobFiles.mustSpill(bytes, store.maxValueBytes()) ? blobs.write(key, bytes) : bytes;
    store.write(key, LABEL_PREFIX + key, item);
    previous.ifPresent(blobs::deleteReferenced);
  }

  @Override
  public boolean delete(String key) {
    requireNonNull(key, "key");
    Optional<byte[]> previous = store.read(key);
    boolean existed = store.delete(key);
    previous.ifPresent(blobs::deleteReferenced);
    return existed;
  }

  @Override
  public List<String> keys(String prefix) {
    requireNonNull(prefix, "prefix");
    return store.accounts().stream().filter(k -> k.startsWith(prefix)).distinct().sorted().toList();
  }

  @Override
  public VaultLock lock(String name) {
    requireNonNull(name, "name");
    return locks.lock(name);
  }

  @Override
  public String describe() {
    return "keychain (" + store.describe() + ")";
  }

  @Override
  public void close() {
    store.close();
  }

  private String decode(String key, byte[] item) {
    byte[] plain = BlobFiles.startsWithMarker(item) ? blobs.read(key, item) : item;
    return new String(plain, StandardCharsets.UTF_8);
  }
}
