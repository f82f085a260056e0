package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Settings;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Opening the configured vault. A backend that keeps nothing ({@code memory}) is refused when it comes from
 * {@code config.yaml}. For the {@code file} backend, where its master key lives is settled once, when the vault is
 * created, and recorded in {@code config.yaml} as {@code vault.master_key}: {@code env} when
 * {@code AUTHSOME_MASTER_KEY} is set, else {@code keychain} when an OS keychain answers, else {@code file}. An
 * existing vault without the setting keeps its key file; a new key is never minted for an existing vault.
 */
public final class VaultSetup {
  /** The {@code vault.master_key} setting, as the backend sees it (prefix removed). */
  public static final String MASTER_KEY = "master_key";
  static final String MASTER_KEY_VARIABLE = "AUTHSOME_MASTER_KEY";
  static final String FILE_BACKEND = "file";
  static final String KEYCHAIN = "keychain";

  private VaultSetup() {
  }

  /** Opens {@code provider}'s vault for this run, recording the master key source of a new file vault. */
  public static Vault open(Home home, Settings settings, Map<String, String> environment, VaultProvider provider) {
    refuseTransientInConfig(settings, provider);
    return provider.open(context(home, settings.vaultSettings(), environment, provider));
  }

  /**
   * The context to open {@code provider} with: the given {@code vault.*} settings, plus for a file vault that has
   * none the master key source chosen now and written to {@code config.yaml}.
   */
  static VaultContext context(Home home, Map<String, String> vaultSettings, Map<String, String> environment,
      VaultProvider provider) {
    Map<String, String> effective = new HashMap<>(vaultSettings);
    if (provider.id().equals(FILE_BACKEND) && !effective.containsKey(MASTER_KEY)) {
      String source = chooseMasterKeySource(home, environment);
      ConfigFile.set(home, Settings.VAULT_MASTER_KEY, source);
      effective.put(MASTER_KEY, source);
    }
    return new VaultContext(home.root(), environment, effective);
  }

  static void refuseTransientInConfig(Settings settings, VaultProvider provider) {
    if (!provider.persistent() && "config.yaml".equals(settings.origins().get(Settings.VAULT_BACKEND))) {
      throw AuthsomeException.usage("config.yaml sets vault.backend: " + provider.id() + ", but " + provider.id()
          + " keeps nothing after the process ends; use --vault " + provider.id() + " for one run, or set"
          + " vault.backend to a persistent backend (file, keychain)");
    }
  }

  /** {@code env}, {@code file} or {@code keychain}, for a file vault whose source was never recorded. */
  static String chooseMasterKeySource(Home home, Map<String, String> environment) {
    if (!environment.getOrDefault(MASTER_KEY_VARIABLE, "").isBlank()) {
      return "env";
    }
    Path vaultDir = home.root().resolve("vault");
    if (Files.exists(vaultDir.resolve("records.json")) || Files.exists(vaultDir.resolve("master.key"))) {
      return "file"; // a vault from before the choice existed: its key is in the key file
    }
    return keychainAnswers(home, environment) ? KEYCHAIN : "file";
  }

  private static boolean keychainAnswers(Home home, Map<String, String> environment) {
    try {
      for (MasterKeyStoreProvider provider : ServiceLoader.load(MasterKeyStoreProvider.class)) {
        if (provider.id().equals(KEYCHAIN)) {
          try (MasterKeyStore store = provider.open(new VaultContext(home.root(), environment, Map.of()))) {
            return true;
          }
        }
      }
    } catch (AuthsomeException | ServiceConfigurationError | LinkageError e) {
      // no keychain here (headless, locked, not installed): the key file it is
    }
    return false;
  }
}
