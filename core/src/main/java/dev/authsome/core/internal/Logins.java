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
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** login, logout, revoke, remove. */
public final class Logins {
  private final Context ctx;

  public Logins(Context ctx) {
    this.ctx = ctx;
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
    ClientRecord client = store.client(def.name()).orElse(null);
    String base = BaseUrls.normalise(req.baseUrl() != null ? req.baseUrl()
        : client != null && client.baseUrl() != null ? client.baseUrl()
        : def.oauth() != null ? def.oauth().baseUrl() : null);
    ProviderDefinition effective = ProviderDefinitions.resolve(def, base);
    List<String> scopes = !req.scopes().isEmpty() ? req.scopes()
        : client != null && !client.scopes().isEmpty() ? client.scopes()
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
    boolean replaced = false;
    if (existing.isPresent() && req.force()) {
      revokeAtProvider(existing.get(), def);
      replaced = true;
    }
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
    ConnectionRecord record = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, def.name(), Keys.PROFILE,
        connection, got.authType(), flowId, got.status(), base != null ? base : got.baseUrl(),
        got.apiUrls().isEmpty() ? effective.apiUrls() : got.apiUrls(),
        got.scopes().isEmpty() && got.authType() == AuthType.OAUTH2 ? scopes : got.scopes(), got.accessToken(),
        got.refreshToken(), got.idToken(), got.tokenType(), got.expiresAt(),
        got.obtainedAt() != null ? got.obtainedAt() : now, got.apiKey(), got.account(), got.metadata());
    result.clientRecord().ifPresent(c -> store.put(new ClientRecord(c.schemaVersion(), def.name(), Keys.PROFILE,
        c.clientId(), c.clientSecret(), c.baseUrl() != null ? c.baseUrl() : base,
        c.scopes().isEmpty() ? scopes : c.scopes(), c.source(), c.registrationEndpoint(),
        c.createdAt() != null ? c.createdAt() : now, c.metadata())));
    store.put(record);
    ctx.audit.record("login", "provider", def.name(), "connection", connection, "flow", flowId,
        "status", "success");
    return new LoginResult(def.name(), connection, flowId, record.status(), replaced);
  }

  /** Deletes one connection after revoking it at the provider. */
  public LogoutResult logout(String provider, @Nullable String connectionOrDefault) {
    Keys.checkProviderName(provider);
    Store store = ctx.store();
    String connection = Keys.checkConnectionName(
        connectionOrDefault != null ? connectionOrDefault : store.defaultConnection(provider));
    Optional<ConnectionRecord> existing = store.connection(provider, connection);
    if (existing.isEmpty()) {
      return new LogoutResult(provider, connection, false);
    }
    Optional<ResolvedProvider> def = Lookups.findProvider(ctx, provider);
    if (def.isPresent()) {
      revokeAtProvider(existing.get(), def.get().definition());
    } else {
      ctx.warn("Provider '" + provider + "' is no longer defined; deleting " + connection
          + " locally without revoking it at the provider.");
    }
    store.deleteConnection(provider, connection);
    ctx.audit.record("logout", "provider", provider, "connection", connection);
    return new LogoutResult(provider, connection, true);
  }

  /** Logs out every connection of the provider and deletes its client record; returns the connections removed. */
  public List<String> revoke(String provider) {
    Keys.checkProviderName(provider);
    Store store = ctx.store();
    List<String> names = store.connectionNames(provider);
    boolean hasClient = store.client(provider).isPresent();
    if (names.isEmpty() && !hasClient && Lookups.findProvider(ctx, provider).isEmpty()) {
      throw AuthsomeException.providerNotFound(provider);
    }
    List<String> removed = new ArrayList<>();
    for (String name : names) {
      if (logout(provider, name).existed()) {
        removed.add(name);
      }
    }
    store.deleteClient(provider);
    ctx.audit.record("revoke", "provider", provider, "connection", "all");
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

  /** Invalidates a stored token at the provider; a failure only warns, since the local copy goes anyway. */
  void revokeAtProvider(ConnectionRecord record, ProviderDefinition def) {
    String flowId = record.flow() != null ? record.flow() : def.flow();
    try {
      AuthFlow flow = Lookups.flow(ctx, def, flowId);
      ClientRecord client = ctx.store().client(def.name()).orElse(null);
      ProviderDefinition effective = ProviderDefinitions.resolve(def, record.baseUrl());
      flow.revoke(new DefaultFlowContext(ctx, effective, record.connectionName(), client, record.scopes(),
          record.baseUrl(), ctx.input, ctx.settings.loginTimeout(), Map.of()), record);
    } catch (AuthsomeException e) {
      ctx.warn("Could not revoke the old credential of " + def.name() + " (" + record.connectionName()
          + ") at the provider: " + e.getMessage() + " It is removed locally but may stay valid until it expires.");
    } catch (RuntimeException | LinkageError e) {
      ctx.warn("Could not reach " + def.name() + " to revoke the credential of " + record.connectionName() + " ("
          + Lookups.describe(e) + "); it is removed locally but may stay valid until it expires.");
    }
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
