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

/**
 * {@code authsome vault migrate --to BACKEND}, {@code authsome vault rekey}, {@code authsome vault salvage},
 * {@code authsome vault key ...} and {@code authsome vault password set}.
 */
@Command(name = "vault", description = "Manage the vault: move it to another backend, change its master key,"
    + " salvage a damaged one.",
    subcommands = {VaultCommand.Migrate.class, VaultCommand.Rekey.class, VaultCommand.Salvage.class,
        VaultCommand.Key.class, VaultCommand.Password.class})
final class VaultCommand extends Base {
  @Spec CommandSpec spec;

  VaultCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand (migrate, rekey, salvage, key, password)");
  }

  /** Copies every record to another backend, verifies them there, then switches config.yaml. */
  @Command(name = "migrate", description = {"Copy every record to another vault backend, verify count and content,"
      + " then switch config.yaml to it.", "Interrupted, nothing is lost and the old backend stays in use; the old"
      + " backend's records are left in place."})
  static final class Migrate extends Base {
    @Option(names = "--to", required = true, paramLabel = "BACKEND", description = "The backend to move to (file,"
        + " keychain, postgres).")
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

  /** Copies every readable record of a damaged file vault into a fresh one and keeps the damaged file aside. */
  @Command(name = "salvage", description = {"Copy every record of a damaged vault that still decrypts into a fresh"
      + " vault, and keep the damaged records aside (vault/records.damaged-TIME/, 0700).",
      "For a vault that a flipped byte, a cut-off file or swapped records made unusable (exit 7). Records that do not"
      + " decrypt are listed: log in to those again. A vault that is not damaged is left as it is; a wrong master key"
      + " is refused (fix the key instead). File backend only."})
  static final class Salvage extends Base {
    Salvage(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      dev.authsome.core.VaultSalvage s = engine().salvageVault();
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", s.salvaged() ? "salvaged" : "not_damaged");
        out.put("kept", s.kept().size());
        out.put("lost", s.lost());
        out.put("damaged_copy", s.damagedCopy());
        out.put("vault", s.vault());
        out().json(out);
      } else if (!s.salvaged()) {
        out().info("The vault is not damaged: all " + s.kept().size() + " records decrypt (" + s.vault()
            + "); nothing was changed.");
      } else {
        out().info("Salvaged " + s.kept().size() + " record" + (s.kept().size() == 1 ? "" : "s") + " into a fresh"
            + " vault; " + s.lost().size() + " could not be read" + (s.lost().isEmpty() ? "" : ": "
            + String.join(", ", s.lost()) + " (log in to those again)") + ".");
        out().info("The damaged file is kept at " + s.damagedCopy() + " (0600); delete it once you no longer need"
            + " it.");
      }
      return 0;
    }
  }

  /** {@code vault key export} and {@code vault key import --stdin}: moving a shared vault's key between machines. */
  @Command(name = "key", description = "Move the vault's master key between machines (postgres backend).",
      subcommands = {Key.Export.class, Key.Import.class})
  static final class Key extends Base {
    @Spec CommandSpec spec;

    Key(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "Missing subcommand (export, import)");
    }

    /** Prints the key on stdout, for a secrets manager; warns on stderr. */
    @Command(name = "export", description = {"Print the vault's master key (base64) on standard output, for a"
        + " secrets manager or another machine.", "Anyone holding it can decrypt every record the database holds."})
    static final class Export extends Base {
      Export(App app) {
        super(app);
      }

      @Override
      public Integer call() {
        String key = engine().exportVaultKey().reveal();
        app.out().err().println("Warning: this is the vault's master key: whoever has it and the database can read"
            + " every credential; pipe it straight into a secrets manager or 'authsome vault key import --stdin'.");
        app.out().err().flush();
        out().value(key);
        return 0;
      }
    }

    /** Reads a key from stdin and keeps it in this machine's key source, if it opens the vault. */
    @Command(name = "import", description = {"Make a key exported elsewhere this machine's master key of the vault.",
        "A key that does not open the vault is refused (exit 7) and nothing changes."})
    static final class Import extends Base {
      @Spec CommandSpec spec;

      @Option(names = "--stdin", required = true, description = "Read the key (base64) from standard input.")
      boolean stdin;

      Import(App app) {
        super(app);
      }

      @Override
      public Integer call() throws java.io.IOException {
        String text = new String(app.stdin().readNBytes(4096), java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
          throw new ParameterException(spec.commandLine(), "No key on standard input; pipe in what 'authsome"
              + " vault key export' printed");
        }
        String vault = engine().importVaultKey(dev.authsome.core.Secret.of(text));
        if (json()) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("status", "ok");
          out.put("vault", vault);
          out().json(out);
        } else {
          out().info("Imported the master key; it opens the vault (" + vault + ").");
        }
        return 0;
      }
    }
  }

  /** {@code vault password set}: the database password of the postgres backend, kept in the keychain. */
  @Command(name = "password", description = "Keep the vault server's password (postgres backend) in the keychain.",
      subcommands = {Password.Set.class})
  static final class Password extends Base {
    @Spec CommandSpec spec;

    Password(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "Missing subcommand (set)");
    }

    /** Reads the password (stdin or a masked prompt, never an argument), checks it logs in, keeps it. */
    @Command(name = "set", description = {"Store the database password in the keychain item authsome-postgres,"
        + " after checking that the server accepts it.", "Read from one line of standard input (--stdin) or a"
        + " masked prompt; never an argument. PGPASSWORD, when set, still wins."})
    static final class Set extends Base {
      @Spec CommandSpec spec;

      @Option(names = "--stdin", description = "Read the password from one line of standard input.")
      boolean stdin;

      Set(App app) {
        super(app);
      }

      @Override
      public Integer call() throws java.io.IOException {
        dev.authsome.core.Secret password;
        if (stdin) {
          String text = new String(app.stdin().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
          int end = text.indexOf('\n');
          password = dev.authsome.core.Secret.of(stripCr(end < 0 ? text : text.substring(0, end)));
          if (password.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "No password on standard input; pipe it in: printf"
                + " %s \"$PW\" | authsome vault password set --stdin");
          }
        } else if (app.interactive()) {
          var field = dev.authsome.core.spi.InputField.secret("password", "Database password", true);
          password = dev.authsome.shell.InputCollectors.choose(dev.authsome.shell.InputCollectors.standard(app, false,
              java.util.List.of())).collect(new dev.authsome.core.spi.InputRequest("postgres",
                  "Database password", null, java.util.List.of(field))).get("password");
          if (password == null || password.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "No password entered; nothing was stored");
          }
        } else {
          throw new ParameterException(spec.commandLine(), "Standard input is not a terminal; pipe the password in"
              + " with --stdin: printf %s \"$PW\" | authsome vault password set --stdin");
        }
        String where = engine().storeVaultPassword(password);
        if (json()) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("status", "ok");
          out.put("stored_in", where);
          out().json(out);
        } else {
          out().info("The server accepted the password; stored it in the " + where + ". PGPASSWORD, when set,"
              + " still wins.");
        }
        return 0;
      }

      private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      }
    }
  }
}
