package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.internal.Admin;
import dev.authsome.core.internal.ConfigFile;
import dev.authsome.core.internal.Context;
import dev.authsome.core.internal.Home;
import dev.authsome.core.internal.Logins;
import dev.authsome.core.internal.ProxySupport;
import dev.authsome.core.internal.Queries;
import dev.authsome.core.internal.Tokens;
import dev.authsome.core.internal.VaultAdmin;
import dev.authsome.core.internal.VaultSetup;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputRequest;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultProvider;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The authsome engine: every operation the commands offer, returning values and never printing. Build one per
 * process (or per test) with {@link #builder()}; the vault, provider catalogue and flows are opened on first use,
 * so a command pays only for what it touches. Warnings (a token that could not be revoked, an audit entry not
 * written) go to the sink given to the builder.
 */
public final class Authsome implements AutoCloseable {
  /** The authsome version. */
  public static final String VERSION = "0.1.0";

  private final Context ctx;
  private final Tokens tokens;
  private final Logins logins;
  private final Queries queries;
  private final Admin admin;
  private final ProxySupport proxySupport;

  private Authsome(Context ctx) {
    this.ctx = ctx;
    this.tokens = new Tokens(ctx);
    this.logins = new Logins(ctx);
    this.queries = new Queries(ctx, tokens);
    this.admin = new Admin(ctx);
    this.proxySupport = new ProxySupport(ctx, tokens);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The authsome home in use. */
  public Path home() {
    return ctx.home().root();
  }

  /** The effective settings (flag > environment > config.yaml > default). */
  public Settings settings() {
    return ctx.settings();
  }

  /**
   * Logs in: runs the flow and stores the connection. An existing usable connection without
   * {@link LoginRequest#force()} is a {@link ErrorCode#CONNECTION_EXISTS} error; with it, the old token is revoked
   * at the provider first and then replaced.
   */
  public LoginResult login(LoginRequest request) {
    return logins.login(requireNonNull(request, "request"));
  }

  /**
   * Revokes one connection at the provider and deletes it; a connection that does not exist is not an error. The
   * result says whether the provider revoked it (a refusal is no error: the local copy goes anyway, and a warning
   * says why).
   */
  public LogoutResult logout(String provider, @Nullable String connection) {
    return logins.logout(requireNonNull(provider, "provider"), connection);
  }

  /**
   * Logs out every connection of the provider and forgets its client records; returns one result per connection
   * removed, each saying whether the provider revoked it.
   */
  public List<LogoutResult> revoke(String provider) {
    return logins.revoke(requireNonNull(provider, "provider"));
  }

  /** {@link #revoke} plus deleting the provider's custom definition file; returns the files deleted. */
  public List<Path> remove(String provider) {
    return logins.remove(requireNonNull(provider, "provider"));
  }

  /**
   * A connection's fields (snake_case, as stored; {@code status} effective), secrets shown as
   * {@code ***REDACTED***} unless {@code showSecret} (which refreshes first and is audited). With {@code field},
   * only that field; an unknown field is a {@link ErrorCode#USAGE} error listing the valid ones.
   */
  public Map<String, Object> get(String provider, @Nullable String connection, boolean showSecret,
      @Nullable String field) {
    return queries.get(requireNonNull(provider, "provider"), connection, showSecret, field);
  }

  /** The stored connection record (no refresh). */
  public ConnectionRecord connection(String provider, @Nullable String connection) {
    return tokens.record(requireNonNull(provider, "provider"), connection);
  }

  /** Every provider with its connections. */
  public List<ProviderListing> list() {
    return queries.list();
  }

  /** One provider's effective definition, where it came from, and its connections. */
  public ProviderListing inspect(String provider) {
    return queries.inspect(requireNonNull(provider, "provider"));
  }

  /** The variables to export (tokens refreshed first); without a provider, every connection. */
  public List<ExportVariable> export(@Nullable String provider, @Nullable String connection) {
    return queries.export(provider, connection);
  }

  /** A usable access token (or API key), refreshed when within the refresh margin. */
  public Secret accessToken(String provider, @Nullable String connection) {
    return tokens.accessToken(requireNonNull(provider, "provider"), connection);
  }

  /** The HTTP headers that authenticate a request with the connection (refreshing as needed). */
  public Map<String, Secret> authHeaders(String provider, @Nullable String connection) {
    return tokens.authHeaders(requireNonNull(provider, "provider"), connection);
  }

  /**
   * The credential proxy's route table: one route per provider with a connection (its default connection), then,
   * when {@code includeUnconnected}, a route without connection for every other catalogued provider that has API
   * routes (so that a request to it can be answered with what to run).
   */
  public List<ProxyRoute> proxyRoutes(boolean includeUnconnected) {
    return proxySupport.routes(includeUnconnected);
  }

  /** The headers that authenticate a proxied request, refreshed as needed, and how long they may be reused. */
  public InjectedCredential injectedCredential(String provider, @Nullable String connection) {
    return proxySupport.credential(requireNonNull(provider, "provider"), connection);
  }

  /**
   * A value that changes whenever the vault's contents change, in this process or another; empty when the backend
   * cannot tell (callers then poll {@link #proxyRoutes}).
   */
  public Optional<Object> vaultRevision() {
    return proxySupport.revision();
  }

  /**
   * The persistent proxy CA ({@code authsome proxy --persistent-ca}), private key included, as the proxy exported
   * it; kept in the vault, so encrypted at rest like every credential. Empty when none was made yet.
   */
  public Optional<Secret> proxyCa() {
    return proxySupport.storedCa();
  }

  /** Stores (replaces) the persistent proxy CA. */
  public void storeProxyCa(Secret exported) {
    proxySupport.storeCa(requireNonNull(exported, "exported"));
  }

  /**
   * Appends an event to the audit log. {@code fields} must hold no secret: names, hosts, counts and outcomes only.
   */
  public void audit(String event, Map<String, ?> fields) {
    proxySupport.audit(requireNonNull(event, "event"), fields);
  }

  public Whoami whoami() {
    return queries.whoami();
  }

  public DoctorReport doctor() {
    return admin.doctor();
  }

  /**
   * Validates a provider definition file (YAML or JSON, either era's field names) and writes it to
   * {@code $AUTHSOME_HOME/providers/NAME.yaml}; returns the definition. An existing custom definition of that name
   * is a {@link ErrorCode#USAGE} error unless {@code force}.
   */
  public ProviderDefinition register(Path file, boolean force) {
    return admin.register(requireNonNull(file, "file"), force).definition();
  }

  /**
   * Validates a definition built in memory ({@code register --issuer} builds one from discovery) and writes it to
   * {@code $AUTHSOME_HOME/providers/NAME.yaml} (0600); the same rules as {@link #register(Path, boolean)}.
   */
  public ProviderDefinition register(ProviderDefinition definition, boolean force) {
    requireNonNull(definition, "definition");
    return admin.register(definition, "the definition of '" + definition.name() + "'", force).definition();
  }

  /** The last {@code lines} audit entries (JSON lines), oldest first. */
  public List<String> log(int lines) {
    return admin.log(lines);
  }

  /**
   * Moves every record to the vault backend {@code to} ({@code file}, {@code keychain}, ...): copies, verifies count
   * and content, and only then switches {@code config.yaml}. Interrupted at any point, nothing is lost and the old
   * backend stays in use. An unknown or non-persistent backend ({@code memory}) is a {@link ErrorCode#USAGE} error.
   */
  public VaultMigration migrateVault(String to) {
    return new VaultAdmin(ctx, VaultBackends.installed()).migrate(requireNonNull(to, "to"));
  }

  /**
   * Re-encrypts every record under a new master key, atomically (a crash leaves the old key and records valid);
   * returns the vault's description. Backends without their own master key refuse with {@link ErrorCode#USAGE}.
   */
  public String rekeyVault() {
    return new VaultAdmin(ctx, VaultBackends.installed()).rekey();
  }

  /**
   * Copies every record of a damaged vault that still opens into a fresh vault and keeps the damaged file aside
   * ({@code vault salvage}); changes nothing when the vault is not damaged. Backends without a file of their own
   * refuse with {@link ErrorCode#USAGE}.
   */
  public VaultSalvage salvageVault() {
    return new VaultAdmin(ctx, VaultBackends.installed()).salvage();
  }

  /**
   * The vault's master key as base64, for a secrets manager or another machine ({@code vault key export}); a backend
   * without a movable key of its own refuses with {@link ErrorCode#USAGE}.
   */
  public Secret exportVaultKey() {
    return new VaultAdmin(ctx, VaultBackends.installed()).exportKey();
  }

  /**
   * Makes a key exported elsewhere (base64) this machine's master key of the vault; a key that does not open the
   * vault is refused with {@link ErrorCode#VAULT_UNAVAILABLE} and nothing changes. Returns the vault's description.
   */
  public String importVaultKey(Secret base64) {
    return new VaultAdmin(ctx, VaultBackends.installed()).importKey(requireNonNull(base64, "base64"));
  }

  /**
   * Keeps the password the vault backend logs in to its server with (the postgres backend's database password) in
   * this machine's keychain, once the server accepted it; returns where it was kept. Backends without a server refuse
   * with {@link ErrorCode#USAGE}; a refused password or a missing keychain is {@link ErrorCode#VAULT_UNAVAILABLE}.
   */
  public String storeVaultPassword(Secret password) {
    return new VaultAdmin(ctx, VaultBackends.installed()).storePassword(requireNonNull(password, "password"));
  }

  /** Makes {@code connection} the provider's default connection. */
  public void setDefaultConnection(String provider, String connection) {
    admin.setDefault(requireNonNull(provider, "provider"), requireNonNull(connection, "connection"));
  }

  @Override
  public void close() {
    ctx.close();
  }

  /** Builds an {@link Authsome}. Every part has a default except the provider catalogue and the flows. */
  public static final class Builder {
    private @Nullable Path home;
    private Map<String, String> environment = System.getenv();
    private Map<String, String> flags = Map.of();
    private Clock clock = Clock.systemUTC();
    private @Nullable Vault vault;
    private @Nullable VaultProvider vaultProvider;
    private Supplier<ProviderCatalogue> catalogue = () -> {
      throw new IllegalStateException("no provider catalogue given to Authsome.builder()");
    };
    private Supplier<FlowRegistry> flows = () -> {
      throw new IllegalStateException("no flow registry given to Authsome.builder()");
    };
    private InputCollector input = Builder::noInput;
    private PrintWriter progress = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    private Consumer<String> warnings = w -> { };
    private Supplier<List<String>> diagnostics = List::of;

    private Builder() {
    }

    /** The home; default {@code $AUTHSOME_HOME}, else {@code ~/.authsome}. */
    public Builder home(Path home) {
      this.home = requireNonNull(home, "home");
      return this;
    }

    /** The environment to read settings from; default the process environment. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Command-line overrides keyed by config key ({@link Settings#VAULT_BACKEND} for {@code --vault}). */
    public Builder flags(Map<String, String> flags) {
      this.flags = Map.copyOf(flags);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** An open vault to use as is (tests); the engine does not close it. */
    public Builder vault(Vault vault) {
      this.vault = requireNonNull(vault, "vault");
      return this;
    }

    /** The backend to open, instead of looking up {@code vault.backend} with ServiceLoader. */
    public Builder vaultProvider(VaultProvider provider) {
      this.vaultProvider = requireNonNull(provider, "provider");
      return this;
    }

    public Builder catalogue(ProviderCatalogue catalogue) {
      requireNonNull(catalogue, "catalogue");
      this.catalogue = () -> catalogue;
      return this;
    }

    /** A catalogue created on first use (the plugin host), so commands that need none never build it. */
    public Builder catalogue(Supplier<ProviderCatalogue> catalogue) {
      this.catalogue = requireNonNull(catalogue, "catalogue");
      return this;
    }

    public Builder flows(FlowRegistry flows) {
      requireNonNull(flows, "flows");
      this.flows = () -> flows;
      return this;
    }

    public Builder flows(Supplier<FlowRegistry> flows) {
      this.flows = requireNonNull(flows, "flows");
      return this;
    }

    /** Where logins get missing input; default: none (a required field is a usage error). */
    public Builder input(InputCollector input) {
      this.input = requireNonNull(input, "input");
      return this;
    }

    /** Where flows write progress for the user (URLs, device codes). */
    public Builder progress(PrintWriter progress) {
      this.progress = requireNonNull(progress, "progress");
      return this;
    }

    /** Where warnings go (the shell prints them on stderr). */
    public Builder warnings(Consumer<String> warnings) {
      this.warnings = requireNonNull(warnings, "warnings");
      return this;
    }

    /** Extra problems for {@code doctor} (plugins that failed to load). */
    public Builder diagnostics(Supplier<List<String>> diagnostics) {
      this.diagnostics = requireNonNull(diagnostics, "diagnostics");
      return this;
    }

    public Authsome build() {
      Path root = home != null ? home : defaultHome(environment);
      Home h = new Home(root);
      Settings settings = Settings.resolve(flags, environment, ConfigFile.read(h.configFile()));
      Supplier<Vault> vaultSupplier;
      boolean owns;
      if (vault != null) {
        Vault v = vault;
        vaultSupplier = () -> v;
        owns = false;
      } else {
        VaultProvider explicit = vaultProvider;
        Map<String, String> env = environment;
        vaultSupplier = () -> VaultSetup.open(h, settings, env,
            explicit != null ? explicit : VaultBackends.find(settings.vaultBackend()));
        owns = true;
      }
      return new Authsome(new Context(new Context.Parts(h, settings, environment, clock, vaultSupplier, owns,
          catalogue, flows, input, progress, warnings, diagnostics)));
    }

    /** {@code $AUTHSOME_HOME}, else {@code ~/.authsome}. */
    public static Path defaultHome(Map<String, String> environment) {
      String env = environment.get("AUTHSOME_HOME");
      if (env != null && !env.isBlank()) {
        return Path.of(env);
      }
      return Path.of(System.getProperty("user.home"), ".authsome");
    }

    private static Map<String, Secret> noInput(InputRequest request) {
      Optional<String> needed = request.fields().stream().filter(f -> f.required() && !f.readOnly()
          && f.defaults().isEmpty()).map(f -> f.label()).findFirst();
      if (needed.isPresent()) {
        throw AuthsomeException.usage("Login to " + request.provider() + " needs " + needed.get()
            + " but no input is available; pass it with --stdin.");
      }
      return Map.of();
    }
  }
}
