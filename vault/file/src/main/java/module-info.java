/**
 * The file vault backend {@code file}: {@code $AUTHSOME_HOME/vault/records.N/}, one file per record, each sealed with
 * AES-256-GCM. Found through ServiceLoader; exports nothing.
 */
module dev.authsome.vault.file {
  requires static org.jspecify;
  requires dev.authsome.core;
  requires com.fasterxml.jackson.core;

  provides dev.authsome.core.spi.VaultProvider with dev.authsome.vault.file.FileVaultProvider;

  // the master key may live in the OS keychain: the keychain backend provides this, when installed
  uses dev.authsome.core.spi.MasterKeyStoreProvider;
}
