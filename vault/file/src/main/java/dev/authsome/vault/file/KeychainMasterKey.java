package dev.authsome.vault.file;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import dev.authsome.core.spi.VaultContext;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The master key in the OS keychain ({@code vault.master_key: keychain}), through a {@link MasterKeyStoreProvider}
 * found by ServiceLoader; the keychain is opened on first use. When it cannot be reached the vault fails (exit 7)
 * naming the keychain and the cause: there is no fallback to another key source.
 */
final class KeychainMasterKey implements MasterKeySource {
  static final String NAME = "master-key";
  static final String PENDING = "master-key.next";

  private final MasterKeyStoreProvider provider;
  private final VaultContext context;
  private @Nullable MasterKeyStore store;

  KeychainMasterKey(MasterKeyStoreProvider provider, VaultContext context) {
    this.provider = provider;
    this.context = context;
  }

  @Override
  public String describe() {
    return "the OS keychain (vault.master_key: keychain)";
  }

  @Override
  public Optional<SecretKey> load() {
    return read(NAME);
  }

  @Override
  public boolean canStore() {
    return true;
  }

  @Override
  public void store(SecretKey key) {
    store().write(NAME, key.getEncoded());
  }

  @Override
  public String whenMissing() {
    return "restore the keychain item '" + NAME + "' (service authsome-master-key) of this vault, or set"
        + " AUTHSOME_MASTER_KEY to the key this vault was created with";
  }

  @Override
  public Optional<SecretKey> loadPending() {
    return read(PENDING);
  }

  @Override
  public void storePending(SecretKey key) {
    store().write(PENDING, key.getEncoded());
  }

  /** Two steps (the keychain has no rename): a crash between them leaves both items equal, which is harmless. */
  @Override
  public void promotePending() {
    SecretKey next = read(PENDING).orElseThrow(() -> AuthsomeException.vault("the pending master key '" + PENDING
        + "' vanished from the keychain during a rekey; run 'authsome vault rekey' again"));
    store().write(NAME, next.getEncoded());
    store().delete(PENDING);
  }

  @Override
  public void discardPending() {
    store().delete(PENDING);
  }

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  private Optional<SecretKey> read(String name) {
    return store().read(name).map(bytes -> {
      if (bytes.length != RecordCipher.KEY_BYTES) {
        throw AuthsomeException.vault("the master key '" + name + "' in the keychain holds " + bytes.length
            + " bytes instead of " + RecordCipher.KEY_BYTES + "; " + whenMissing());
      }
      return new SecretKeySpec(bytes, "AES");
    });
  }

  private synchronized MasterKeyStore store() {
    if (store == null) {
      try {
        store = provider.open(context);
      } catch (AuthsomeException e) {
        throw new AuthsomeException(e.code(), "the vault's master key is kept in the OS keychain (vault.master_key:"
            + " keychain), which is unavailable: " + e.getMessage(), e);
      }
    }
    return store;
  }
}
