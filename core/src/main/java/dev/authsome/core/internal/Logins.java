package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.LoginRequest;
import dev.authsome.core.LoginResult;
import dev.authsome.core.LogoutResult;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Revocation;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.core.spi.VaultLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** login, logout, revoke, remove. */
public final class Logins {
  private final Context ctx;
  private final Clients clients;

  public Logins(Context ctx) {
    this.ctx = ctx;
    this.clients = new Clients(ctx);
  }

  public LoginResult login(LoginRequest req) {
    ResolvedProvider resolved = Lookups.provider(ctx, req.provider());
    ProviderDefinition def = resolved.definition();
    Store store = ctx.store();
    String connection = Keys.checkConnectionName(
        req.connectionName().orElseGet(() -> store.defaultConnection(def.name())));
    String flowId = req.flow() != null ? req.flow() : def.flow();
    Optional<ConnectionRecord> existing = store.connection(def.name(), connection);
    if (existing.isPresent() && usable(existing.get()) && !req.force()) {
      throw new AuthsomeException(ErrorCode.CONNECTION_EXISTS, "Already logged in to " + def.name() + " ("
          + connection + "); run 'authsome login " + def.name() + connectionFlag(connection)
          + " --force' to replace it.");
    }
    AuthFlow flow = Lookups.flow(ctx, def, flowId);
    ClientRecord client = clients.forLogin(def.name(), req.options().get("client_id"));
    String base = BaseUrls.normalise(req.baseUrl() != null ? req.baseUrl()
        : client != null && client.baseUrl() != null ? client.baseUrl()
        : def.oauth() != null ? def.oauth().baseUrl() : null);
    ProviderDefinition effective = ProviderDefinitions.resolve(def, base);
    // --scopes belongs to this connection; nothing a login asked for becomes another login's default
    List<String> scopes = !req.scopes().isEmpty() ? req.scopes()
        : def.oauth() != null ? def.oauth().scopes() : List.of();
    Duration timeout = req.timeout() != null ? req.timeout() : ctx.settings.loginTimeout();
    Map<String, String> options = new HashMap<>();
    options.put("callback_port", Integer.toString(ctx.settings.callbackPort()));
    Optional.ofNullable(ctx.environment.get("BROWSER")).ifPresent(b -> options.put("browser", b));
    options.putAll(req.options());
    DefaultFlowContext flowContext = new DefaultFlowContext(ctx, effective, connection, client, scopes, base,
        ctx.input, timeout, Map.copyOf(options));

    // fail on a read-only home before the user types anything
    ctx.home.ensureRoot();
    ConfigFile.writeDefaultIfAbsent(ctx.home);
    // Nothing of the old connection is revoked or replaced before the new credential is in hand: a login that is
    // denied, cancelled, times out or fails leaves the old record stored and still working at the provider.
    FlowResult result;
    try {
      result = flow.login(flowContext);
    } catch (AuthsomeException e) {
      ctx.audit.record("login", "provider", def.name(), "connection", connection, "flow", flowId,
          "status", "failure", "error", e.code().errorName());
      throw e;
    } catch (RuntimeException | LinkageError e) {
      ctx.audit.record("login", "provider", def.name(), "connection", connection, "flow", flowId,
          "status", "failure", "error", "AuthsomeError");
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "Flow '" + flowId + "' failed: " + Lookups.describe(e)
          + "; run with --verbose for details, or report it to the flow's author.", e);
    }
    ConnectionRecord got = result.connection();
    Instant now = ctx.clock.instant();
    ClientRecord fresh = result.clientRecord().map(c -> new ClientRecord(c.schemaVersion(), def.name(),
        Keys.PROFILE, c.clientId(), c.clientSecret(), c.baseUrl() != null ? c.baseUrl() : base, c.scopes(),
        c.source(), c.registrationEndpoint(), c.createdAt() != null ? c.createdAt() : now, c.metadata()))
        .orElse(null);
    // The client the tokens were issued to: as the flow says, else the one it entered or registered, else the one
    // it was given. It refreshes and revokes this connection from now on, whatever later logins use.
    String clientId = got.authType() != AuthType.OAUTH2 ? null
        : got.clientId() != null ? got.clientId()
        : fresh != null && fresh.clientId() != null ? fresh.clientId()
        : client != null ? client.clientId() : null;
    ConnectionRecord record = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, def.name(), Keys.PROFILE,
        connection, got.authType(), flowId, got.status(), base != null ? base : got.baseUrl(),
        got.apiUrls().isEmpty() ? effective.apiUrls() : got.apiUrls(),
        got.scopes().isEmpty() && got.authType() == AuthType.OAUTH2 ? scopes : got.scopes(), got.accessToken(),
        got.refreshToken(), got.idToken(), got.tokenType(), got.expiresAt(),
        got.obtainedAt() != null ? got.obtainedAt() : now, got.apiKey(), got.account(), got.metadata(), clientId);
    // Under the connection's lock, like every writer of it: a refresh in flight finishes (and writes) first, and the
    // record replaced is the one stored now, which may be newer than the one read before the flow.
    ConnectionRecord replaced;
    try (VaultLock lock = store.lockConnection(def.name(), connection)) {
      replaced = store.connection(def.name(), connection).orElse(null);
      if (fresh != null) {
        clients.adopt(fresh, connection);
      }
      store.put(record);
    }
    Revocation old = null;
    if (replaced != null && req.force() && !sameCredential(replaced, record)) {
      // Only now, with the new credential stored: the old token is revoked so that it does not stay valid at the
      // provider unused. A failure here is a warning; the login itself succeeded.
      old = revokeAtProvider(replaced, def, "replaced locally by the new login");
    }
    if (replaced != null && !Objects.equals(replaced.clientId(), clientId)) {
      clients.forgetIfUnused(replaced);
    }
    ctx.audit.record("login", "provider", def.name(), "connection", connection, "flow", flowId,
        "status", "success", "client_id", clientId,
        "old_revoked_at_provider", old == null ? null : old.revokedAtProvider());
    return new LoginResult(def.name(), connection, flowId, record.status(), replaced != null && req.force());
  }

  /** Deletes one connection after revoking it at the provider. */
  public LogoutResult logout(String provider, @Nullable String connectionOrDefault) {
    Keys.checkProviderName(provider);
    Store store = ctx.store();
    String connection = Keys.checkConnectionName(
        connectionOrDefault != null ? connectionOrDefault : store.defaultConnection(provider));
    Optional<ConnectionRecord> existing;
    Revocation revocation;
    // Under the connection's lock, like every writer of it: a refresh in flight writes its result first, and that
    // result (not the record read before it) is what is revoked and deleted, so the connection cannot come back.
    try (VaultLock lock = store.lockConnection(provider, connection)) {
      existing = store.connection(provider, connection);
      if (existing.isEmpty()) {
        return new LogoutResult(provider, connection, false);
      }
      Optional<ResolvedProvider> def = Lookups.findProvider(ctx, provider);
      if (def.isPresent()) {
        revocation = revokeAtProvider(existing.get(), def.get().definition(), DELETED);
      } else {
        revocation = existing.get().authType() == AuthType.API_KEY
            ? Revocation.unsupported("an API key cannot be revoked by authsome")
            : Revocation.failed("provider '" + provider + "' is no longer defined, so authsome does not know where "
                + "to revoke it");
        report(existing.get(), revocation, DELETED);
      }
      store.deleteConnection(provider, connection);
    }
    clients.forgetIfUnused(existing.get());
    ctx.audit.record("logout", "provider", provider, "connection", connection,
        "revoked_at_provider", revocation.revokedAtProvider(), "revocation", revocation.outcome().wireName(),
        "revocation_error", revocation.error());
    return new LogoutResult(provider, connection, true, revocation);
  }

  /** Logs out every connection of the provider and deletes its client records; returns the connections removed. */
  public List<LogoutResult> revoke(String provider) {
    Keys.checkProviderName(provider);
    Store store = ctx.store();
    List<String> names = store.connectionNames(provider);
    boolean hasClient = store.client(provider).isPresent();
    if (names.isEmpty() && !hasClient && Lookups.findProvider(ctx, provider).isEmpty()) {
      throw AuthsomeException.providerNotFound(provider);
    }
    List<LogoutResult> removed = new ArrayList<>();
    for (String name : names) {
      LogoutResult r = logout(provider, name);
      if (r.existed()) {
        removed.add(r);
      }
    }
    clients.forgetAll(provider);
    ctx.audit.record("revoke", "provider", provider, "connection", "all", "revoked_at_provider",
        removed.stream().allMatch(r -> r.revocation() != null && r.revocation().revokedAtProvider()));
    return removed;
  }

  /** {@code revoke} plus deleting the custom definition file(s); returns the files deleted. */
  public List<Path> remove(String provider) {
    revoke(provider);
    List<Path> deleted = new ArrayList<>();
    for (String ext : List.of("yaml", "yml", "json")) {
      Path file = ctx.home.providersDir().resolve(provider + "." + ext);
      try {
        if (Files.deleteIfExists(file)) {
          deleted.add(file);
        }
      } catch (IOException e) {
        throw Home.notWritable(file, e);
      }
    }
    ctx.audit.record("remove", "provider", provider);
    return deleted;
  }

  /**
   * Revokes a stored credential at the provider with the client its tokens were issued to. Never fails: the local
   * copy goes anyway, and anything but a confirmed revocation is reported as a warning.
   */
  Revocation revokeAtProvider(ConnectionRecord record, ProviderDefinition def, String locally) {
    String flowId = record.flow() != null ? record.flow() : def.flow();
    Revocation outcome;
    try {
      AuthFlow flow = Lookups.flow(ctx, def, flowId);
      ClientRecord client = ctx.store().clientOf(record).orElse(null);
      ProviderDefinition effective = ProviderDefinitions.resolve(def, record.baseUrl());
      outcome = flow.revokeAtProvider(new DefaultFlowContext(ctx, effective, record.connectionName(), client,
          record.scopes(), record.baseUrl(), ctx.input, ctx.settings.loginTimeout(), Map.of()), record);
      if (outcome == null) {
        outcome = Revocation.failed("flow '" + flowId + "' reported no outcome");
      }
    } catch (AuthsomeException e) {
      outcome = Revocation.failed(e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      outcome = Revocation.failed("flow '" + flowId + "' failed: " + Lookups.describe(e));
    }
    report(record, outcome, locally);
    return outcome;
  }

  /** Says on the warning sink (stderr) when the provider did not revoke a credential, and why. */
  private void report(ConnectionRecord record, Revocation r, String locally) {
    if (r.revokedAtProvider() || (r.outcome() == Revocation.Outcome.UNSUPPORTED
        && record.authType() != AuthType.OAUTH2)) {
      return;
    }
    String what = "The tokens of " + record.provider() + " (" + record.connectionName() + ")";
    if (r.outcome() == Revocation.Outcome.UNSUPPORTED) {
      ctx.warn(what + " were not revoked at the provider: " + r.detail() + "; they stay valid there until they "
          + "expire.");
      return;
    }
    ctx.warn(what + " were NOT revoked at the provider: " + r.detail() + ". They are " + locally + ", but stay "
        + "valid at the provider until they expire (or you revoke authsome's access there).");
  }

  private static final String DELETED = "deleted locally";

  /** Whether the new record holds the old one's token (a server may hand it back): revoking it would kill both. */
  private static boolean sameCredential(ConnectionRecord old, ConnectionRecord now) {
    return old.refreshToken() != null && old.refreshToken().equals(now.refreshToken())
        || old.accessToken() != null && old.accessToken().equals(now.accessToken())
        || old.apiKey() != null && old.apiKey().equals(now.apiKey());
  }

  private boolean usable(ConnectionRecord r) {
    if (r.status() != ConnectionStatus.CONNECTED) {
      return false;
    }
    return r.expiresAt() == null || r.refreshToken() != null || ctx.clock.instant().isBefore(r.expiresAt());
  }

  private static String connectionFlag(String connection) {
    return connection.equals("default") ? "" : " --connection " + connection;
  }
}
