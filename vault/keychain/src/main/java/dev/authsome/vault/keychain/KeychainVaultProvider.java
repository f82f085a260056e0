package dev.authsome.vault.keychain;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;

/**
 * The {@code keychain} backend: records as items of the OS keychain (Linux Secret Service, macOS Keychain, Windows
 * Credential Manager). When the keychain cannot be reached, opening fails within seconds with VAULT_UNAVAILABLE (exit
 * 7) naming the cause and the fix; there is never a fallback to another backend.
 */
public final class KeychainVaultProvider implements VaultProvider {

  /** For {@link java.util.ServiceLoader}. */
  public KeychainVaultProvider() {}

  @Override
  public String id() {
    return "keychain";
  }

  @Override
  public String description() {
    return "OS keychain (" + Keychains.platformName() + ")";
  }

  @Override
  public Vault open(VaultContext context) {
    String vaultId = VaultId.readOrCreate(context.home());
    CredentialStore store = Keychains.open(context, Keychains.RECORD_SERVICE, vaultId);
    return new KeychainVault(store, new BlobFiles(context.home().resolve("vault").resolve("keychain-blobs")),
        new FileLocks(context.home().resolve("vault").resolve("locks")));
  }
}
