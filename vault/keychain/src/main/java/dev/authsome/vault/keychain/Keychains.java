package dev.authsome.vault.keychain;

import dev.authsome.core.spi.VaultContext;
import java.time.Duration;
import java.util.Locale;

/** Picks the platform's keychain. */
final class Keychains {
  /** The {@code service} attribute of every record item. */
  static final String RECORD_SERVICE = "authsome";
  /** Every keychain call answers or fails within this. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Keychains() {}

  static CredentialStore open(VaultContext context, String serviceName, String vaultId) {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac")) {
      return new MacKeychainStore(CommandRunner.processes(TIMEOUT), serviceName, vaultId);
    }
    if (os.startsWith("windows")) {
      return new WindowsCredentialStore(new Advapi32Credentials(), serviceName, vaultId);
    }
    return SecretServiceStore.open(context.environment(), serviceName, vaultId, TIMEOUT);
  }

  static String platformName() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.startsWith("mac") ? "macOS Keychain"
        : os.startsWith("windows") ? "Windows Credential Manager" : "Secret Service";
  }
}
