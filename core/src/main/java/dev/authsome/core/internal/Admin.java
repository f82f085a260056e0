package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.DoctorReport;
import dev.authsome.core.DoctorReport.Check;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderState;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** doctor, log, connection set-default. */
public final class Admin {
  static final String DOCTOR_KEY = "__doctor_test__";
  private final Context ctx;

  public Admin(Context ctx) {
    this.ctx = ctx;
  }

  public DoctorReport doctor() {
    List<Check> checks = new ArrayList<>();
    Path root = ctx.home.root();
    boolean homeExists = Files.isDirectory(root);
    checks.add(new Check("home", true, List.of(homeExists ? root + " exists"
        + (Files.isWritable(root) ? "" : " (read-only: logins and other writes will fail)")
        : root + " does not exist yet; it is created on the first login")));
    List<String> perms = ctx.home.permissionProblems();
    checks.add(new Check("permissions", perms.isEmpty(), perms.isEmpty()
        ? List.of("folders are 0700 and files 0600") : perms));
    checks.add(config());
    checks.add(vault());
    int providers = 0;
    List<String> plugin = new ArrayList<>();
    try {
      providers = ctx.catalogue().list().size();
      plugin.addAll(ctx.catalogue().warnings());
      plugin.addAll(ctx.diagnostics.get());
    } catch (RuntimeException | LinkageError e) {
      plugin.add("the plugin host failed: " + Lookups.describe(e));
    }
    checks.add(new Check("plugins", plugin.isEmpty(), plugin.isEmpty()
        ? List.of(providers + " providers, flows: " + String.join(", ", flowIds())) : plugin));
    List<Path> python = ctx.home.pythonFiles();
    checks.add(new Check("python_files", true, python.isEmpty() ? List.of("none")
        : python.stream().map(p -> p + " belongs to the Python authsome; left untouched (not read or migrated)")
            .toList()));
    return new DoctorReport(checks, providers);
  }

  private List<String> flowIds() {
    try {
      return List.copyOf(ctx.flows().ids());
    } catch (RuntimeException | LinkageError e) {
      return List.of("(unavailable: " + Lookups.describe(e) + ")");
    }
  }

  private Check config() {
    Path file = ctx.home.configFile();
    try {
      ConfigFile.read(file);
      List<String> details = new ArrayList<>();
      details.add(Files.exists(file) ? file + " is valid" : file + " absent (defaults apply)");
      ctx.settings.origins().forEach((k, v) -> details.add(k + " from " + v));
      return new Check("config", true, details);
    } catch (AuthsomeException e) {
      return new Check("config", false, List.of(e.getMessage()));
    }
  }

  private Check vault() {
    List<String> details = new ArrayList<>();
    try {
      Vault vault = ctx.vault();
      details.add(vault.describe());
      int records = 0;
      for (String key : vault.keys("")) {
        if (!key.equals(DOCTOR_KEY)) {
          vault.get(key);
          records++;
        }
      }
      vault.put(DOCTOR_KEY, "ok");
      boolean ok = vault.get(DOCTOR_KEY).filter("ok"::equals).isPresent();
      vault.delete(DOCTOR_KEY);
      if (!ok) {
        details.add("a test record written to the vault did not read back; the vault backend is faulty");
        return new Check(Check.VAULT, false, details);
      }
      details.add(records + " records readable; write/read/delete round trip ok");
      return new Check(Check.VAULT, true, details);
    } catch (AuthsomeException e) {
      details.add(e.getMessage());
      return new Check(Check.VAULT, false, details);
    } catch (RuntimeException e) {
      details.add("the vault failed: " + Lookups.describe(e));
      return new Check(Check.VAULT, false, details);
    }
  }

  public List<String> log(int lines) {
    if (lines < 0) {
      throw AuthsomeException.usage("-n must be 0 or more, not " + lines + ".");
    }
    return ctx.audit.tail(lines);
  }

  public void setDefault(String provider, String connection) {
    Keys.checkProviderName(provider);
    Keys.checkConnectionName(connection);
    Store store = ctx.store();
    if (store.connection(provider, connection).isEmpty()) {
      Lookups.provider(ctx, provider);
      throw new AuthsomeException(ErrorCode.CONNECTION_NOT_FOUND, "No connection '" + connection + "' for "
          + provider + "; run 'authsome login " + provider + " --connection " + connection + "' first.");
    }
    try (VaultLock lock = ctx.vault().lock("state:" + provider)) {
      ProviderState s = store.stateOrNew(provider);
      store.put(new ProviderState(s.schemaVersion(), s.provider(), s.profile(), connection, s.lastRefreshAt(),
          s.lastRefreshError(), s.metadata()));
    }
    ctx.audit.record("set_default", "provider", provider, "connection", connection);
  }
}
