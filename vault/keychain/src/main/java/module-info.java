/**
 * The {@code keychain} vault backend: every record is an item of the OS keychain (Secret Service on Linux, the macOS
 * Keychain, the Windows Credential Manager). Exports nothing; found through {@link java.util.ServiceLoader}.
 */
module dev.authsome.vault.keychain {
  requires dev.authsome.core;
  // dbus-java is an explicit module; its unix-socket transport (org.freedesktop.dbus.transport.jre) is a service
  // provider that dbus-java finds by ServiceLoader, so it need not be required here (the launcher adds it).
  requires org.freedesktop.dbus;
  requires com.sun.jna;

  provides dev.authsome.core.spi.VaultProvider with dev.authsome.vault.keychain.KeychainVaultProvider;
  provides dev.authsome.core.spi.MasterKeyStoreProvider
      with dev.authsome.vault.keychain.KeychainMasterKeyStoreProvider;

  // JNA reads and writes the CREDENTIAL structure's fields reflectively.
  opens dev.authsome.vault.keychain to com.sun.jna;
}
