package dev.authsome.proxy.engine;

import dev.authsome.core.Authsome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Proxy audit events ({@code proxy_inject}, {@code proxy_miss}, {@code proxy_deny}), counted per (provider,
 * connection, host, outcome) on the hot path and written by {@link #flush()} at most once a second, so that a busy
 * agent costs one audit line per kind of event per second rather than one per request. Never holds a secret.
 */
final class AuditCounter {
  private final Authsome authsome;
  private final ConcurrentMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

  private record Key(String event, @Nullable String provider, @Nullable String connection, String host,
      String outcome) {
  }

  AuditCounter(Authsome authsome) {
    this.authsome = authsome;
  }

  void count(String event, @Nullable String provider, @Nullable String connection, String host, String outcome) {
    counts.computeIfAbsent(new Key(event, provider, connection, host, outcome), k -> new LongAdder()).increment();
  }

  /** Writes one audit line per key counted since the last flush. */
  void flush() {
    for (Map.Entry<Key, LongAdder> e : counts.entrySet()) {
      long n = e.getValue().sumThenReset();
      if (n == 0) {
        counts.remove(e.getKey(), e.getValue());
        continue;
      }
      Key k = e.getKey();
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("provider", k.provider());
      fields.put("connection", k.connection());
      fields.put("host", k.host());
      fields.put("outcome", k.outcome());
      fields.put("count", n);
      authsome.audit(k.event(), fields);
    }
  }
}
