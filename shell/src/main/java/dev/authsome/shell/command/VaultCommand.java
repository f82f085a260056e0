package dev.authsome.shell.command;

import dev.authsome.core.VaultMigration;
import dev.authsome.shell.App;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code authsome vault migrate --to BACKEND} and {@code authsome vault rekey}. */
@Command(name = "vault", description = "Manage the vault: move it to another backend, change its master key.",
    subcommands = {VaultCommand.Migrate.class, VaultCommand.Rekey.class})
final class VaultCommand extends Base {
  @Spec CommandSpec spec;

  VaultCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand (migrate, rekey)");
  }

  /** Copies every record to another backend, verifies them there, then switches config.yaml. */
  @Command(name = "migrate", description = {"Copy every record to another vault backend, verify count and content,"
      + " then switch config.yaml to it.", "Interrupted, nothing is lost and the old backend stays in use; the old"
      + " backend's records are left in place."})
  static final class Migrate extends Base {
    @Option(names = "--to", required = true, paramLabel = "BACKEND", description = "The backend to move to (file,"
        + " keychain).")
    String to;

    Migrate(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      VaultMigration m = engine().migrateVault(to);
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("from", m.from());
        out.put("to", m.to());
        out.put("records", m.records());
        out.put("vault", m.target());
        out.put("previous_vault", m.source());
        out().json(out);
      } else {
        out().info("Migrated " + m.records() + " record" + (m.records() == 1 ? "" : "s") + " from " + m.from()
            + " to " + m.to() + " (" + m.target() + "); config.yaml now uses " + m.to() + ".");
        out().info("The old records are still in " + m.source() + "; delete them there once you no longer need"
            + " them.");
      }
      return 0;
    }
  }

  /** Re-encrypts every record under a new master key. */
  @Command(name = "rekey", description = {"Re-encrypt every record under a new master key, atomically.",
      "A crash at any point leaves either the old key and records or the new ones valid."})
  static final class Rekey extends Base {
    Rekey(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      String vault = engine().rekeyVault();
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "ok");
        out.put("vault", vault);
        out().json(out);
      } else {
        out().info("Re-encrypted every record under a new master key (" + vault + ").");
      }
      return 0;
    }
  }
}
