package dev.authsome.proxy.engine;

import dev.authsome.core.Authsome;
import dev.authsome.core.InjectedCredential;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * The header cache: a connection's headers are asked of the engine once (which refreshes the token single-flight,
 * across processes, under the vault lock) and reused until the refresh margin begins. Concurrent requests for one
 * connection share one pending lookup. The vault is read off the event loop, on {@code blocking}.
 */
final class Credentials {
  private final Authsome authsome;
  private final Executor blocking;
  private final Clock clock;
  private final ConcurrentMap<String, CompletableFuture<InjectedCredential>> cache = new ConcurrentHashMap<>();

  Credentials(Authsome authsome, Executor blocking, Clock clock) {
    this.authsome = authsome;
    this.blocking = blocking;
    this.clock = clock;
  }

  CompletableFuture<InjectedCredential> get(String provider, String connection) {
    String key = provider + "\u0000" + connection;
    while (true) {
      CompletableFuture<InjectedCredential> f = cache.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(
          () -> authsome.injectedCredential(provider, connection), blocking));
      if (!f.isDone()) {
        return f;
      }
      if (f.isCompletedExceptionally()) {
        // a failure is reported to the request that saw it, never cached: the next request asks again
        cache.remove(key, f);
        return f;
      }
      InjectedCredential c = f.join();
      Instant until = c.reuseUntil();
      if (until == null || clock.instant().isBefore(until)) {
        return f;
      }
      cache.remove(key, f);
    }
  }

  /** Forgets every cached header: the vault changed (a login, logout or refresh elsewhere). */
  void invalidate() {
    cache.clear();
  }
}
