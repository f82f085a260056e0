package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Settings;
import dev.authsome.core.VaultBackends;
import dev.authsome.core.VaultMigration;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultLock;
import dev.authsome.core.spi.VaultProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@code vault migrate} and {@code vault rekey}. */
public final class VaultAdmin {
  static final String MIGRATION_LOCK = "vault-migrate";

  private final Context ctx;
  private final VaultBackends backends;

  public VaultAdmin(Context ctx, VaultBackends backends) {
    this.ctx = ctx;
    this.backends = backends;
  }

  /**
   * Copies every record of the current vault to backend {@code to}, verifies count and content there, and only then
   * switches {@code config.yaml}. Until that last step the old backend stays the configured one, so a migration
   * interrupted at any point loses nothing; running it again copies everything again. A target that holds records
   * the source does not is refused before anything is written. Writers are held off from the snapshot to the switch
   * ({@link #MIGRATION_LOCK}), so no write made meanwhile by another process is lost.
   */
  public VaultMigration migrate(String to) {
    VaultProvider target = backends.provider(to);
    if (!target.persistent()) {
      throw AuthsomeException.usage("'" + to + "' keeps nothing after the process ends, so it is never a migration"
          + " target; migrate to " + persistentIds());
    }
    String from = ctx.settings.vaultBackend();
    if (from.equals(to)) {
      throw AuthsomeException.usage("the vault already uses '" + to + "' (from " + origin() + "); nothing to"
          + " migrate");
    }
    if (!backends.provider(from).persistent()) {
      throw AuthsomeException.usage("the current backend '" + from + "' keeps nothing after the process ends, so"
          + " there is nothing to migrate; log in with --vault " + to + " instead");
    }
    Vault source = ctx.vault();
    // A file vault keeps the master key source already recorded for it (a vault left by an earlier migration away
    // from file still needs its key); without one, the source is chosen now, as for any new vault.
    VaultContext targetContext = VaultSetup.context(ctx.home, ctx.settings.vaultSettings(), ctx.environment, target);
    int copied;
    String targetDescription;
    try (VaultLock lock = source.lock(MIGRATION_LOCK); Vault destination = target.open(targetContext)) {
      SortedMap<String, String> records = new TreeMap<>();
      for (String key : source.keys("")) {
        source.get(key).ifPresent(value -> records.put(key, value));
      }
      // Records the target holds that the source does not are another vault's (an interrupted earlier run only ever
      // leaves a subset): switching would mix the two, and deleting them could lose data, so stop before copying.
      List<String> foreign = destination.keys("").stream().filter(key -> !records.containsKey(key)).toList();
      if (!foreign.isEmpty()) {
        throw AuthsomeException.usage("'" + to + "' already holds " + foreign.size() + " record"
            + (foreign.size() == 1 ? "" : "s") + " that '" + from + "' does not (first: '" + foreign.get(0)
            + "'); migrating would mix two vaults: remove them (authsome --vault " + to + " logout ...) and run the"
            + " migration again; nothing was changed");
      }
      records.forEach(destination::put);
      verify(records, destination, from, to);
      copied = records.size();
      targetDescription = destination.describe();
      // Still under the migration lock, which every writer of this process's engine takes (Store): no write can
      // land in the source between the snapshot above and this switch, and every write after it checks the switch
      // and is refused rather than left behind in the old vault.
      ConfigFile.set(ctx.home, Settings.VAULT_BACKEND, to);
    }
    ctx.audit.record("vault_migrate", "from", from, "to", to, "records", String.valueOf(copied));
    return new VaultMigration(from, to, copied, source.describe(), targetDescription);
  }

  /** Re-encrypts every record under a new master key (the backend does it atomically). */
  public String rekey() {
    Vault vault = ctx.vault();
    vault.rekey();
    ctx.audit.record("vault_rekey", "backend", ctx.settings.vaultBackend());
    return vault.describe();
  }

  /**
   * Copies every readable record into a fresh vault, keeping the damaged file aside ({@code vault salvage}); audited
   * with the counts (never the values).
   */
  public dev.authsome.core.VaultSalvage salvage() {
    Vault vault = ctx.vault();
    dev.authsome.core.VaultSalvage result = vault.salvage();
    if (result.salvaged()) {
      ctx.audit.record("vault_salvage", "backend", ctx.settings.vaultBackend(), "kept",
          String.valueOf(result.kept().size()), "lost", String.valueOf(result.lost().size()));
    }
    return result;
  }

  /** The vault's master key, base64 ({@code vault key export}); audited, never logged. */
  public dev.authsome.core.Secret exportKey() {
    Vault vault = ctx.vault();
    byte[] key = vault.exportKey().orElseThrow(() -> AuthsomeException.usage("the vault " + vault.describe()
        + " has no movable master key; 'authsome vault key export' applies to the postgres backend"));
    ctx.audit.record("vault_key_export", "backend", ctx.settings.vaultBackend());
    return dev.authsome.core.Secret.of(java.util.Base64.getEncoder().encodeToString(key));
  }

  /** Installs a master key given as base64 ({@code vault key import}); the backend refuses one that does not fit. */
  public String importKey(dev.authsome.core.Secret base64) {
    byte[] key;
    try {
      key = java.util.Base64.getDecoder().decode(base64.reveal().strip());
    } catch (IllegalArgumentException e) {
      throw AuthsomeException.usage("the key on standard input is not base64; pass what 'authsome vault key export'"
          + " printed");
    }
    Vault vault = ctx.vault();
    vault.importKey(key);
    ctx.audit.record("vault_key_import", "backend", ctx.settings.vaultBackend());
    return vault.describe();
  }

  /** Keeps the vault server's password in the keychain ({@code vault password set}); audited without the value. */
  public String storePassword(dev.authsome.core.Secret password) {
    Vault vault = ctx.vault();
    String where = vault.storePassword(password);
    ctx.audit.record("vault_password_set", "backend", ctx.settings.vaultBackend());
    return where;
  }

  private static void verify(SortedMap<String, String> records, Vault destination, String from, String to) {
    var keys = destination.keys("");
    if (!keys.equals(new ArrayList<>(records.keySet()))) {
      throw AuthsomeException.vault("migration check failed: '" + to + "' holds " + keys.size() + " records after"
          + " copying " + records.size() + "; config.yaml still uses '" + from + "', nothing was lost; run the"
          + " migration again");
    }
    for (var record : records.entrySet()) {
      if (!destination.get(record.getKey()).equals(Optional.of(record.getValue()))) {
        throw AuthsomeException.vault("migration check failed: record '" + record.getKey() + "' reads back"
            + " differently from '" + to + "'; config.yaml still uses '" + from + "', nothing was lost; run the"
            + " migration again");
      }
    }
  }

  private String persistentIds() {
    return String.join(", ", backends.providers().stream().filter(VaultProvider::persistent).map(VaultProvider::id)
        .toList());
  }

  private String origin() {
    return ctx.settings.origins().getOrDefault(Settings.VAULT_BACKEND, "default");
  }
}
