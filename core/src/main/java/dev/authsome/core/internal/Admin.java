package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.DoctorReport;
import dev.authsome.core.DoctorReport.Check;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderState;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
      new TreeMap<>(ctx.settings.origins()).forEach((k, v) -> details.add(k + " from " + v));
      return new Check("config", true, details);
    } catch (AuthsomeException e) {
      return new Check("config", false, List.of(e.getMessage()));
    }
  }

  private static final String SALVAGE_HINT = "to keep every record that still reads, run 'authsome vault salvage':"
      + " it copies them into a fresh vault and keeps the damaged file aside";

  private Check vault() {
    List<String> details = new ArrayList<>();
    if (ctx.vaultNotCreatedYet()) {
      // nothing to check, and a round trip would create a vault (and choose its master key) as a side effect
      details.add("no vault yet at " + ctx.home.root().resolve("vault") + "; the first login creates it");
      return new Check(Check.VAULT, true, details);
    }
    try {
      Vault vault = ctx.vault();
      details.add(vault.describe());
      int records = 0;
      // Every record is tried, so that doctor names each damaged one (not only the first).
      List<String> damaged = new ArrayList<>();
      String firstProblem = null;
      for (String key : vault.keys("")) {
        if (!key.equals(DOCTOR_KEY)) {
          try {
            vault.get(key);
          } catch (AuthsomeException e) {
            damaged.add(key);
            firstProblem = firstProblem == null ? e.getMessage() : firstProblem;
          }
          records++;
        }
      }
      if (!damaged.isEmpty()) {
        details.add(firstProblem);
        details.add(damaged.size() + " of " + records + " records do not decrypt: " + String.join(", ", damaged));
        if (damaged.size() < records) {
          details.add(SALVAGE_HINT);
        }
        return new Check(Check.VAULT, false, details);
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
      if (e.getMessage() != null && e.getMessage().contains("is not a valid authsome vault")) {
        details.add(SALVAGE_HINT);
      }
      return new Check(Check.VAULT, false, details);
    } catch (RuntimeException e) {
      details.add("the vault failed: " + Lookups.describe(e));
      return new Check(Check.VAULT, false, details);
    }
  }

  /**
   * Validates a definition file and writes it as {@code providers/NAME.yaml}; an existing custom definition of that
   * name is replaced only with {@code force}.
   */
  public RegisterOutcome register(Path file, boolean force) {
    if (!Files.isRegularFile(file)) {
      throw AuthsomeException.usage("File not found: " + file + "; pass the path of a provider YAML or JSON file.");
    }
    return register(ProviderDefinitions.read(file), file.toString(), force);
  }

  /**
   * Validates a definition built elsewhere ({@code register --issuer}) and writes it as {@code providers/NAME.yaml};
   * {@code origin} names it in error messages.
   */
  public RegisterOutcome register(ProviderDefinition def, String origin, boolean force) {
    Set<String> flows = new TreeSet<>(ProviderDefinitions.BUILTIN_FLOWS);
    try {
      flows.addAll(ctx.flows().ids());
    } catch (RuntimeException | LinkageError e) {
      ctx.warn("Installed flows could not be listed (" + Lookups.describe(e) + "); only the built-in flow ids are "
          + "accepted.");
    }
    ProviderDefinitions.validate(def, origin, flows);
    Path target = ctx.home.providersDir().resolve(def.name() + ".yaml");
    List<Path> existing = new ArrayList<>();
    for (String ext : List.of("yaml", "yml", "json")) {
      Path p = ctx.home.providersDir().resolve(def.name() + "." + ext);
      if (Files.exists(p)) {
        existing.add(p);
      }
    }
    if (!existing.isEmpty() && !force) {
      throw AuthsomeException.usage("Provider '" + def.name() + "' is already registered (" + existing.get(0)
          + "); pass --force to overwrite it.");
    }
    ctx.home.ensureRoot();
    ConfigFile.writeDefaultIfAbsent(ctx.home);
    ctx.home.writeAtomically(target, ProviderDefinitions.toYaml(def));
    for (Path p : existing) {
      if (!p.equals(target)) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw Home.notWritable(p, e);
        }
      }
    }
    List<String> endpoints = new ArrayList<>();
    if (def.oauth() != null) {
      java.util.stream.Stream.of(def.oauth().authorizationUrl(), def.oauth().tokenUrl(),
          def.oauth().revocationUrl(), def.oauth().deviceAuthorizationUrl(), def.oauth().registrationEndpoint())
          .filter(java.util.Objects::nonNull).forEach(endpoints::add);
    }
    endpoints.addAll(def.apiUrls());
    ctx.audit.record("register", "provider", def.name(), "endpoints", endpoints);
    return new RegisterOutcome(def, target, !existing.isEmpty());
  }

  /** What {@link #register} did. */
  public record RegisterOutcome(ProviderDefinition definition, Path file, boolean replaced) {
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
