package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Settings;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.MasterKeyStoreProvider;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
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
  static final String MASTER_KEY = "master_key";
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
      effective.put(MASTER_KEY, settleMasterKeySource(home, environment));
    }
    return new VaultContext(home.root(), environment, effective);
  }

  /**
   * Chooses and records the source under a lock, re-reading {@code config.yaml} first: two first commands started at
   * once must not choose differently (the second would see the first one's new vault and pick the key file).
   */
  private static String settleMasterKeySource(Home home, Map<String, String> environment) {
    try {
      return settleLocked(home, environment);
    } catch (AuthsomeException e) {
      // A read-only home with a vault from before the choice existed: that vault's source is certain without
      // recording it (its key file, or the variable); only a new vault must have its choice written down.
      if (Files.exists(home.root().resolve("vault").resolve("records.json"))) {
        return chooseMasterKeySource(home, environment);
      }
      throw e;
    }
  }

  private static String settleLocked(Home home, Map<String, String> environment) {
    Path lockFile = home.root().resolve("vault").resolve("locks").resolve("master-key-choice.lock");
    home.ensureDir(lockFile.getParent());
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Home.setMode(lockFile, Home.FILE_MODE);
      String recorded = ConfigFile.read(home.configFile()).get(Settings.VAULT_MASTER_KEY);
      if (recorded != null && !recorded.isBlank()) {
        return recorded.trim();
      }
      String source = chooseMasterKeySource(home, environment);
      ConfigFile.set(home, Settings.VAULT_MASTER_KEY, source);
      return source;
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot lock " + lockFile + " to record the vault's master key source: "
          + e.getMessage() + "; check the permissions of " + home.root(), e);
    }
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
