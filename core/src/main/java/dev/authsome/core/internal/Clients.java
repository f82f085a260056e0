package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.spi.VaultLock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which OAuth client records exist and which one a login starts from. The provider's client record is the default
 * for new logins; a connection refreshes and revokes with the client its tokens were issued to
 * ({@link ConnectionRecord#clientId()}). When a login makes another client the default, the previous one is kept
 * (stored apart, under its id) for as long as a connection still uses it, so that no connection is ever refreshed or
 * revoked as a client its tokens do not belong to.
 */
final class Clients {
  private final Context ctx;

  Clients(Context ctx) {
    this.ctx = ctx;
  }

  /**
   * The client a login starts from: the one {@code --client-id} names when it is stored (its secret is reused),
   * else the provider's default. The flow decides whether a client that does not match the flag is usable.
   */
  @Nullable ClientRecord forLogin(String provider, @Nullable String flaggedClientId) {
    Store store = ctx.store();
    Optional<ClientRecord> byDefault = store.client(provider);
    String id = flaggedClientId == null ? "" : flaggedClientId.trim();
    if (id.isEmpty()) {
      return byDefault.orElse(null);
    }
    return store.client(provider, id).or(() -> byDefault).orElse(null);
  }

  /**
   * Makes {@code fresh} (entered or registered by the login of {@code connection}) the provider's default client. A
   * different previous default is first stored apart if another connection's tokens were issued to it, and
   * connections written before schema 3 (which name no client and so used the default) are pinned to it.
   */
  void adopt(ClientRecord fresh, String connection) {
    Store store = ctx.store();
    String provider = fresh.provider();
    Optional<ClientRecord> previous = store.client(provider);
    String previousId = previous.map(ClientRecord::clientId).orElse(null);
    if (previousId != null && !previousId.equals(fresh.clientId()) && pinUsers(provider, previousId, connection)) {
      store.putApart(previous.get());
    }
    store.put(fresh);
    if (fresh.clientId() != null) {
      // the default now holds it
      store.deleteApart(provider, fresh.clientId());
    }
  }

  /** Whether a connection other than {@code except} uses {@code clientId}; pins pre-schema-3 connections to it. */
  private boolean pinUsers(String provider, String clientId, String except) {
    Store store = ctx.store();
    boolean used = false;
    for (String name : store.connectionNames(provider)) {
      if (name.equals(except)) {
        continue;
      }
      // the refresh lock: a refresh of the same record in another process must not write over the pin
      try (VaultLock lock = store.lockConnection(provider, name)) {
        Optional<ConnectionRecord> r = store.connection(provider, name);
        if (r.isEmpty() || r.get().authType() != AuthType.OAUTH2) {
          continue;
        }
        if (r.get().clientId() == null) {
          store.put(r.get().withClientId(clientId));
          used = true;
        } else if (r.get().clientId().equals(clientId)) {
          used = true;
        }
      } catch (AuthsomeException e) {
        // an unreadable record may use it: keep the client
        used = true;
      }
    }
    return used;
  }

  /** After {@code gone} was deleted: forgets its client if it was stored apart and no other connection uses it. */
  void forgetIfUnused(ConnectionRecord gone) {
    String clientId = gone.clientId();
    if (clientId == null) {
      return;
    }
    Store store = ctx.store();
    try {
      if (store.client(gone.provider()).map(c -> clientId.equals(c.clientId())).orElse(false)) {
        return;
      }
      for (String name : store.connectionNames(gone.provider())) {
        if (store.connection(gone.provider(), name).map(r -> clientId.equals(r.clientId())).orElse(false)) {
          return;
        }
      }
      store.deleteApart(gone.provider(), clientId);
    } catch (AuthsomeException e) {
      // an unreadable record may use it: keep the client
    }
  }

  /** Forgets every client of the provider (after its connections are gone). */
  void forgetAll(String provider) {
    ctx.store().deleteAllApart(provider);
    ctx.store().deleteClient(provider);
  }
}
