package dev.authsome.core.spi;

/**
 * A place outside the vault's own files that can keep the {@code file} backend's master key, such as the OS keychain.
 * Found with {@link java.util.ServiceLoader} ({@code provides MasterKeyStoreProvider with ...} plus
 * {@code META-INF/services}), so the file backend needs no keychain library on its path: when none is installed, the
 * key simply cannot live in a keychain.
 *
 * <p>The source of a vault's key is chosen once, when the vault is created, and recorded in {@code config.yaml} as
 * {@code vault.master_key: <id>}; later runs use only that source.
 */
public interface MasterKeyStoreProvider {

  /** The value of {@code vault.master_key} that selects this store, e.g. {@code keychain}. */
  String id();

  /**
   * Opens the store for the vault of {@code context.home()}.
   *
   * @throws dev.authsome.core.AuthsomeException with code {@code VAULT_UNAVAILABLE}, naming the cause and the fix,
   *     when the store cannot be reached (within seconds: never a hang)
   */
  MasterKeyStore open(VaultContext context);
}
