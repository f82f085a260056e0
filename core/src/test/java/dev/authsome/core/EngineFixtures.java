package dev.authsome.core;

import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** Engine unit-test doubles of the SPIs (the end-to-end tests use the real vault, plugin host and flows). */
final class EngineFixtures {
  private EngineFixtures() {
  }

  /** A map-backed vault with per-name locks. */
  static final class MapVault implements Vault {
    final TreeMap<String, String> records = new TreeMap<>();
    final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public synchronized Optional<String> get(String key) {
      return Optional.ofNullable(records.get(key));
    }

    @Override
    public synchronized void put(String key, String value) {
      records.put(key, value);
    }

    @Override
    public synchronized boolean delete(String key) {
      return records.remove(key) != null;
    }

    @Override
    public synchronized List<String> keys(String prefix) {
      return records.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public VaultLock lock(String name) {
      ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
      lock.lock();
      return lock::unlock;
    }

    @Override
    public String describe() {
      return "map";
    }

    @Override
    public void close() {
    }
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-27T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  static ProviderDefinition apiKeyProvider(String name, Map<String, String> export) {
    return new ProviderDefinition(1, name, name.toUpperCase(), null, null, "https://example.com/docs",
        AuthType.API_KEY, "api_key", null,
        new ProviderDefinition.ApiKeyConfig("Authorization", "Bearer", "^sk-.+$", "keys start with sk-", Map.of()),
        export, List.of("api." + name + ".test"), Map.of(), Map.of());
  }

  static ProviderDefinition oauthProvider(String name) {
    return new ProviderDefinition(1, name, name, null, null, "https://example.com/docs", AuthType.OAUTH2, "fake_oauth",
        new ProviderDefinition.OAuthConfig("{base_url}/authorize", "https://example.test/token", null, null,
            null, null, null, "oauth2_form", List.of("read"), "https://github.test", true, false, false, null, Map.of(), Map.of()),
        null, Map.of(), List.of("{base_url}"), Map.of(), Map.of());
  }

  static ProviderCatalogue catalogue(ProviderDefinition... defs) {
    List<ResolvedProvider> all = new ArrayList<>();
    for (ProviderDefinition d : defs) {
      all.add(new ResolvedProvider(d, ProviderSource.BUNDLED, "test:" + d.name(), List.of()));
    }
    return new ProviderCatalogue() {
      @Override
      public Optional<ResolvedProvider> find(String name) {
        return all.stream().filter(p -> p.name().equals(name)).findFirst();
      }

      @Override
      public List<ResolvedProvider> list() {
        return all;
      }

      @Override
      public List<String> warnings() {
        return List.of();
      }
    };
  }

  static FlowRegistry flows(AuthFlow... flows) {
    return new FlowRegistry() {
      @Override
      public SortedSet<String> ids() {
        TreeSet<String> ids = new TreeSet<>();
        for (AuthFlow f : flows) {
          ids.add(f.id());
        }
        return ids;
      }

      @Override
      public Optional<AuthFlow> flow(String id) {
        for (AuthFlow f : flows) {
          if (f.id().equals(id)) {
            return Optional.of(f);
          }
        }
        return Optional.empty();
      }
    };
  }

  /** Asks the input collector for an api_key, like the real api_key flow. */
  static final class KeyFlow implements AuthFlow {
    final List<String> revoked = new ArrayList<>();

    @Override
    public String id() {
      return "api_key";
    }

    @Override
    public Set<AuthType> authTypes() {
      return Set.of(AuthType.API_KEY);
    }

    @Override
    public FlowResult login(FlowContext c) {
      String key = c.input().collect(new InputRequest(c.provider().name(), "key", null,
          List.of(InputField.secret("api_key", "API key", true)))).get("api_key").reveal();
      return new FlowResult(new ConnectionRecord(2, c.provider().name(), c.profile(), c.connectionName(),
          AuthType.API_KEY, id(), ConnectionStatus.CONNECTED, null, List.of(), List.of(), null, null, null, null,
          null, null, key, ConnectionRecord.Account.UNKNOWN, Map.of()), null);
    }

    @Override
    public void revoke(FlowContext context, ConnectionRecord current) {
      revoked.add(current.apiKey());
    }
  }

  /** Issues tokens with a one-hour lifetime; refresh rotates both tokens and counts calls. */
  static final class FakeOAuthFlow implements AuthFlow {
    final AtomicInteger refreshes = new AtomicInteger();
    volatile boolean failRefresh;
    volatile String lastBaseUrl;

    @Override
    public String id() {
      return "fake_oauth";
    }

    @Override
    public Set<AuthType> authTypes() {
      return Set.of(AuthType.OAUTH2);
    }

    @Override
    public FlowResult login(FlowContext c) {
      lastBaseUrl = c.provider().oauth().authorizationUrl();
      Instant now = c.clock().instant();
      return new FlowResult(record(c, "at-0", "rt-0", now), null);
    }

    @Override
    public ConnectionRecord refresh(FlowContext c, ConnectionRecord current) {
      if (failRefresh) {
        throw new AuthsomeException(ErrorCode.REFRESH_FAILED, "token endpoint said invalid_grant");
      }
      int n = refreshes.incrementAndGet();
      return record(c, "at-" + n, "rt-" + n, c.clock().instant());
    }

    private ConnectionRecord record(FlowContext c, String at, String rt, Instant now) {
      return new ConnectionRecord(2, c.provider().name(), c.profile(), c.connectionName(), AuthType.OAUTH2, id(),
          ConnectionStatus.CONNECTED, null, List.of(), c.scopes(), at, rt, null, "Bearer",
          now.plus(Duration.ofHours(1)), now, null, ConnectionRecord.Account.UNKNOWN, Map.of());
    }
  }
}
