package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import dev.authsome.core.spi.VaultContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The OS keychain as the home of the {@code file} backend's master key ({@code vault.master_key: keychain}): one item
 * per key, service {@code authsome-master-key} (apart from the records' {@code authsome}), account = the key's name,
 * scoped by the vault id like every item. The key is kept as base64 text, so OS tools show printable text.
 */
public final class KeychainMasterKeyStoreProvider implements MasterKeyStoreProvider {
  static final String SERVICE = "authsome-master-key";

  /** For {@link java.util.ServiceLoader}. */
  public KeychainMasterKeyStoreProvider() {}

  @Override
  public String id() {
    return "keychain";
  }

  @Override
  public MasterKeyStore open(VaultContext context) {
    String vaultId = VaultId.readOrCreate(context.home());
    CredentialStore store = Keychains.open(context, SERVICE, vaultId);
    String label = "authsome master key (" + context.home() + ")";
    return new MasterKeyStore() {
      @Override
      public Optional<byte[]> read(String name) {
        return store.read(name).map(text -> {
          try {
            return Base64.getDecoder().decode(new String(text, StandardCharsets.US_ASCII).strip());
          } catch (IllegalArgumentException e) {
            throw AuthsomeException.vault("the master key item '" + name + "' in the keychain (" + store.describe()
                + ") is damaged (not base64); restore it, or set AUTHSOME_MASTER_KEY to the vault's key");
          }
        });
      }

      @Override
      public void write(String name, byte[] key) {
        store.write(name, label, Base64.getEncoder().encode(key));
      }

      @Override
      public boolean delete(String name) {
        return store.delete(name);
      }

      @Override
      public String describe() {
        return store.describe();
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }
}
