package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderState;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.VaultLock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Usable credentials: reads a connection and refreshes its access token when it is within the refresh margin.
 * Refresh is single-flight across threads and processes: under {@code vault.lock("refresh:" + key)} the record is
 * read again, and if another process refreshed it meanwhile that result is used (so a rotating refresh token is
 * spent only once). It refreshes as the client the tokens were issued to; a record from before schema 3, which names
 * none, uses the provider's client and is written back naming it.
 */
public final class Tokens {
  private final Context ctx;

  public Tokens(Context ctx) {
    this.ctx = ctx;
  }

  /** The stored record, or an error saying how to create it. */
  public ConnectionRecord record(String provider, @Nullable String connection) {
    Keys.checkProviderName(provider);
    Store store = ctx.store();
    String name = Keys.checkConnectionName(connection != null ? connection : store.defaultConnection(provider));
    Optional<ConnectionRecord> r = store.connection(provider, name);
    if (r.isPresent()) {
      return r.get();
    }
    Lookups.provider(ctx, provider);
    throw new AuthsomeException(ErrorCode.CONNECTION_NOT_FOUND, "No connection '" + name + "' for " + provider
        + "; run 'authsome login " + provider + (name.equals("default") ? "" : " --connection " + name) + "'.");
  }

  /** The record with a fresh access token (refreshed when near expiry). */
  public ConnectionRecord fresh(String provider, @Nullable String connection) {
    ConnectionRecord r = record(provider, connection);
    if (!Statuses.needsRefresh(r, ctx.clock.instant(), ctx.settings.refreshMargin())) {
      return r;
    }
    Store store = ctx.store();
    try (VaultLock lock = store.lockConnection(r.provider(), r.connectionName())) {
      Optional<Store.Versioned> read = store.connectionVersioned(r.provider(), r.connectionName());
      if (read.isEmpty()) {
        // logged out (or removed) while this process waited for the lock: nothing to refresh, nothing to write back
        return record(r.provider(), r.connectionName());
      }
      ConnectionRecord current = read.get().record();
      Instant now = ctx.clock.instant();
      if (!Statuses.needsRefresh(current, now, ctx.settings.refreshMargin())) {
        return current;
      }
      // Another process refreshed while this one waited for the lock: its token is newer than the one this process
      // decided to refresh, so use it. Refreshing again would present a rotated-away refresh token, which makes
      // servers revoke the whole grant (RFC 9700 section 4.14).
      if (current.obtainedAt() != null && r.obtainedAt() != null && current.obtainedAt().isAfter(r.obtainedAt())
          && current.expiresAt() != null && now.isBefore(current.expiresAt())) {
        return current;
      }
      return refreshLocked(read.get(), now);
    }
  }

  public Secret accessToken(String provider, @Nullable String connection) {
    ConnectionRecord r = fresh(provider, connection);
    String value = r.authType() == AuthType.API_KEY ? r.apiKey() : r.accessToken();
    if (value == null) {
      throw new AuthsomeException(ErrorCode.CREDENTIAL_MISSING, "Connection " + r.connectionName() + " of "
          + r.provider() + " holds no credential; run 'authsome login " + r.provider() + " --force'.");
    }
    return Secret.of(value);
  }

  /** The HTTP headers that authenticate a request with this connection. */
  public Map<String, Secret> authHeaders(String provider, @Nullable String connection) {
    ConnectionRecord r = fresh(provider, connection);
    Secret token = accessToken(r.provider(), r.connectionName());
    Map<String, Secret> headers = new LinkedHashMap<>();
    if (r.authType() == AuthType.OAUTH2) {
      headers.put("Authorization", Secret.of("Bearer " + token.reveal()));
      return headers;
    }
    ProviderDefinition.ApiKeyConfig cfg = Lookups.findProvider(ctx, r.provider())
        .map(ResolvedProvider::definition).flatMap(ProviderDefinition::apiKeyConfig).orElse(null);
    String header = cfg == null ? "Authorization" : cfg.headerName();
    headers.put(header, Secret.of(cfg == null ? "Bearer " + token.reveal() : cfg.headerValue(token.reveal())));
    return headers;
  }

  /** Whether the record's flow renews without a refresh token (client credentials); false when it cannot be told. */
  private boolean refreshesWithoutRefreshToken(ConnectionRecord current) {
    try {
      ResolvedProvider resolved = Lookups.provider(ctx, current.provider());
      String flowId = current.flow() != null ? current.flow() : resolved.definition().flow();
      return Lookups.flow(ctx, resolved.definition(), flowId).refreshesWithoutRefreshToken();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private ConnectionRecord refreshLocked(Store.Versioned read, Instant now) {
    ConnectionRecord current = read.record();
    boolean stillValid = current.expiresAt() != null && now.isBefore(current.expiresAt());
    String login = "run 'authsome login " + current.provider()
        + (current.connectionName().equals("default") ? "" : " --connection " + current.connectionName())
        + " --force'";
    if (current.refreshToken() == null && !refreshesWithoutRefreshToken(current)) {
      if (stillValid) {
        return current;
      }
      markExpired(read, "no refresh token");
      throw new AuthsomeException(ErrorCode.TOKEN_EXPIRED, "The access token of " + current.provider() + " ("
          + current.connectionName() + ") expired and there is no refresh token; " + login + ".");
    }
    try {
      ResolvedProvider resolved = Lookups.provider(ctx, current.provider());
      ProviderDefinition def = ProviderDefinitions.resolve(resolved.definition(), current.baseUrl());
      String flowId = current.flow() != null ? current.flow() : def.flow();
      AuthFlow flow = Lookups.flow(ctx, def, flowId);
      // the client the tokens were issued to, never simply the provider's current default
      ClientRecord client = ctx.store().clientOf(current).orElse(null);
      DefaultFlowContext fc = new DefaultFlowContext(ctx, def, current.connectionName(), client, current.scopes(),
          current.baseUrl(), ctx.input, ctx.settings.loginTimeout(), Map.of());
      ConnectionRecord got = flow.refresh(fc, current);
      ConnectionRecord updated = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, current.provider(),
          current.profile(), current.connectionName(), current.authType(), current.flow(),
          ConnectionStatus.CONNECTED, current.baseUrl(), current.apiUrls(),
          got.scopes().isEmpty() ? current.scopes() : got.scopes(), got.accessToken(),
          got.refreshToken() != null ? got.refreshToken() : current.refreshToken(),
          got.idToken() != null ? got.idToken() : current.idToken(),
          got.tokenType() != null ? got.tokenType() : current.tokenType(), got.expiresAt(),
          got.obtainedAt() != null ? got.obtainedAt() : now, current.apiKey(), current.account(),
          current.metadata(), current.clientId() != null || client == null ? current.clientId() : client.clientId());
      // Only over the record this refresh started from: whatever another writer put there meanwhile stays.
      if (!ctx.store().replace(read, updated)) {
        ctx.warn("The connection " + current.provider() + " (" + current.connectionName() + ") changed while its "
            + "token was refreshed; the change stands and the refreshed token is used only this once.");
      }
      noteRefresh(current.provider(), now, null);
      return updated;
    } catch (RuntimeException | LinkageError e) {
      if (e instanceof AuthsomeException ae && ae.code() == ErrorCode.VAULT_UNAVAILABLE) {
        throw ae;
      }
      String why = Lookups.describe(e);
      if (e instanceof AuthsomeException ae && ae.code() == ErrorCode.TOKEN_EXPIRED) {
        // The provider rejected the grant itself (invalid_grant): however long the access token may still last,
        // 'connected' would claim a credential that cannot be renewed. The flow's message says what to run.
        markExpired(read, why);
        throw ae;
      }
      if (stillValid) {
        ctx.warn("Refreshing the token of " + current.provider() + " (" + current.connectionName() + ") failed ("
            + why + "); using the current token until it expires at " + current.expiresAt() + ".");
        noteRefresh(current.provider(), now, why);
        return current;
      }
      markExpired(read, why);
      throw new AuthsomeException(ErrorCode.REFRESH_FAILED, "Refreshing the token of " + current.provider() + " ("
          + current.connectionName() + ") failed (" + why + "); " + login + ".", e);
    }
  }

  private void markExpired(Store.Versioned read, String why) {
    ConnectionRecord r = read.record();
    try {
      // a record another writer replaced meanwhile (a new login) is not this one to mark
      ctx.store().replace(read, r.withStatus(ConnectionStatus.EXPIRED));
      noteRefresh(r.provider(), ctx.clock.instant(), why);
    } catch (AuthsomeException e) {
      ctx.warn("Could not mark " + r.provider() + " (" + r.connectionName() + ") as expired: " + e.getMessage());
    }
  }

  private void noteRefresh(String provider, Instant at, @Nullable String error) {
    try (VaultLock lock = ctx.vault().lock("state:" + provider)) {
      ProviderState s = ctx.store().stateOrNew(provider);
      ctx.store().put(new ProviderState(s.schemaVersion(), s.provider(), s.profile(), s.defaultConnection(), at,
          error, s.metadata()));
    } catch (AuthsomeException e) {
      ctx.warn("Could not record the refresh outcome of " + provider + ": " + e.getMessage());
    }
  }
}
