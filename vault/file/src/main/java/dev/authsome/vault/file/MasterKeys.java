package dev.authsome.vault.file;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import java.nio.file.Path;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Chooses the {@link MasterKeySource} of a vault from the environment and {@code vault.master_key}. */
final class MasterKeys {

  /** The {@code vault.master_key} setting (flattened to {@code master_key} in the vault context). */
  static final String SETTING = "master_key";
  static final String KEYCHAIN = "keychain";

  private MasterKeys() {
  }

  /**
   * {@code AUTHSOME_MASTER_KEY}, when set and not empty, always wins. Otherwise {@code vault.master_key} decides:
   * {@code file} (the default) is the key file; {@code env} demands the variable; {@code keychain} is the OS
   * keychain (through a {@link MasterKeyStoreProvider}).
   *
   * @throws AuthsomeException usage error for an unknown setting; vault unavailable when {@code env} is demanded but
   *     the variable is not set
   */
  static MasterKeySource select(VaultContext context, Path keyFile) {
    String mode = context.setting(SETTING).orElse("file");
    if (!mode.equals("file") && !mode.equals("env") && !mode.equals(KEYCHAIN)) {
      throw AuthsomeException.usage("unknown vault.master_key '" + mode + "'; available: env, file, keychain");
    }
    String variable = context.env(EnvMasterKey.VARIABLE).orElse("");
    if (!variable.isEmpty()) {
      return new EnvMasterKey(variable);
    }
    if (mode.equals("env")) {
      throw AuthsomeException.vault("vault.master_key is 'env' but " + EnvMasterKey.VARIABLE
          + " is not set; set it to the vault's key (base64 of 32 bytes), or set vault.master_key to file");
    }
    if (mode.equals(KEYCHAIN)) {
      return new KeychainMasterKey(keychain(), context);
    }
    return new KeyFileMasterKey(keyFile);
  }

  /** The keychain's key store, found by ServiceLoader so that this module needs no keychain library. */
  private static MasterKeyStoreProvider keychain() {
    try {
      for (MasterKeyStoreProvider provider : ServiceLoader.load(MasterKeyStoreProvider.class)) {
        if (provider.id().equals(KEYCHAIN)) {
          return provider;
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      throw AuthsomeException.vault("vault.master_key is 'keychain' but the keychain support failed to load ("
          + e.getMessage() + "); reinstall authsome, or set AUTHSOME_MASTER_KEY to the vault's key", e);
    }
    throw AuthsomeException.vault("vault.master_key is 'keychain' but no keychain support is installed"
        + " (authsome-vault-keychain); reinstall authsome, or set AUTHSOME_MASTER_KEY to the vault's key");
  }
}
