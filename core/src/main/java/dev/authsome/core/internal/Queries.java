package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ExportVariable;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderListing;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import dev.authsome.core.Whoami;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** get, list, inspect, export, whoami: reading, never writing (except a refresh). */
public final class Queries {
  static final String REDACTED = "***REDACTED***";
  private final Context ctx;
  private final Tokens tokens;

  public Queries(Context ctx, Tokens tokens) {
    this.ctx = ctx;
    this.tokens = tokens;
  }

  /**
   * The record as field map, secrets redacted unless {@code showSecret} (then refreshed first, and audited).
   * {@code status} is the effective status ({@code expired} once past expiry).
   */
  public Map<String, Object> get(String provider, @Nullable String connection, boolean showSecret,
      @Nullable String field) {
    ConnectionRecord r = showSecret ? tokens.fresh(provider, connection) : tokens.record(provider, connection);
    Map<String, Object> map = RecordCodec.toMap(r);
    String status = Statuses.effective(r, ctx.clock.instant(), ctx.settings.refreshMargin());
    map.put("status", status.equals("expiring") ? "connected" : status);
    if (field != null && !map.containsKey(field)) {
      throw AuthsomeException.usage("Field '" + field + "' not found; valid fields: "
          + String.join(", ", map.keySet()) + ".");
    }
    if (!showSecret) {
      for (String secret : ConnectionRecord.SECRET_FIELDS) {
        if (map.get(secret) != null) {
          map.put(secret, REDACTED);
        }
      }
    } else {
      ctx.audit.record("get", "provider", r.provider(), "connection", r.connectionName(), "field", field);
    }
    if (field == null) {
      return map;
    }
    Map<String, Object> one = new LinkedHashMap<>();
    one.put(field, map.get(field));
    return one;
  }

  /** Every provider with its connections, sorted by name. */
  public List<ProviderListing> list() {
    ListingCache.Connections connections = ListingCache.read(ctx, this::connectionsFromRecords);
    Instant now = ctx.clock.instant();
    List<ProviderListing> out = new ArrayList<>();
    for (ResolvedProvider p : ctx.catalogue().list()) {
      String def = connections.defaults().getOrDefault(p.name(), "default");
      List<ConnectionSummary> summaries = new ArrayList<>();
      for (ConnectionRecord r : connections.byProvider().getOrDefault(p.name(), List.of())) {
        summaries.add(summary(r, r.connectionName().equals(def), now));
      }
      out.add(new ProviderListing(p, summaries));
    }
    return out;
  }

  /** Every connection record (without its secrets) and default connection, read from the vault. */
  private ListingCache.Connections connectionsFromRecords() {
    Map<String, List<ConnectionRecord>> byProvider = new TreeMap<>();
    Map<String, String> defaults = new TreeMap<>();
    ctx.store().allConnectionNames().forEach((provider, names) -> {
      defaults.put(provider, ctx.store().defaultConnection(provider));
      List<ConnectionRecord> records = new ArrayList<>();
      // Each connection is one record to read and decrypt; a provider with thousands of them reads them on every
      // core (vault reads are thread-safe and take no lock), keeping their order.
      var stream = names.size() >= PARALLEL_FROM ? names.parallelStream() : names.stream();
      stream.map(name -> ctx.store().connection(provider, name).map(ListingCache::withoutSecrets))
          .forEachOrdered(r -> r.ifPresent(records::add));
      byProvider.put(provider, records);
    });
    return new ListingCache.Connections(byProvider, defaults);
  }

  private ConnectionSummary summary(ConnectionRecord r, boolean isDefault, Instant now) {
    return new ConnectionSummary(r.connectionName(), r.authType(),
        Statuses.effective(r, now, ctx.settings.refreshMargin()), r.scopes(), r.expiresAt(), r.account(), isDefault,
        r.baseUrl(), r.apiUrls(), r.flow());
  }

  public ProviderListing inspect(String provider) {
    ResolvedProvider p = Lookups.provider(ctx, provider);
    return listing(p, ctx.store().connectionNames(p.name()));
  }

  private ProviderListing listing(ResolvedProvider p, List<String> connectionNames) {
    List<ConnectionSummary> summaries = new ArrayList<>();
    if (!connectionNames.isEmpty()) {
      String def = ctx.store().defaultConnection(p.name());
      Instant now = ctx.clock.instant();
      // Each connection is one record to read and decrypt; a provider with thousands of them reads them on every
      // core (vault reads are thread-safe and take no lock), keeping their order.
      var names = connectionNames.size() >= PARALLEL_FROM ? connectionNames.parallelStream() : connectionNames.stream();
      names.map(name -> ctx.store().connection(p.name(), name).map(r -> summary(r, name.equals(def), now)))
          .forEachOrdered(summary -> summary.ifPresent(summaries::add));
    }
    return new ProviderListing(p, summaries);
  }

  /** Connections of one provider from which listing reads them in parallel (below, starting threads costs more). */
  private static final int PARALLEL_FROM = 256;

  /**
   * The variables {@code export} prints: for one provider its (default) connection, else every connection of
   * every provider, the default connection first. A name already taken gets {@code _<PROVIDER>_<CONNECTION>},
   * then {@code _2}, {@code _3}, ...
   */
  public List<ExportVariable> export(@Nullable String provider, @Nullable String connection) {
    Map<String, List<String>> targets = new TreeMap<>();
    if (provider != null) {
      ConnectionRecord r = tokens.record(provider, connection);
      targets.put(r.provider(), List.of(r.connectionName()));
    } else {
      ctx.store().allConnectionNames().forEach((p, names) -> {
        String def = ctx.store().defaultConnection(p);
        List<String> ordered = new ArrayList<>(names);
        if (ordered.remove(def)) {
          ordered.add(0, def);
        }
        targets.put(p, ordered);
      });
    }
    List<ExportVariable> out = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    targets.forEach((p, names) -> {
      Optional<ProviderDefinition> def = Lookups.findProvider(ctx, p).map(ResolvedProvider::definition);
      for (String name : names) {
        ConnectionRecord r = tokens.fresh(p, name);
        for (Map.Entry<String, String> e : exportNames(p, def, r.authType()).entrySet()) {
          String value = value(r, e.getValue());
          if (value == null) {
            continue;
          }
          String var = e.getKey();
          if (taken.contains(var)) {
            String base = var + "_" + envSafe(p) + "_" + envSafe(name);
            var = base;
            for (int i = 2; taken.contains(var); i++) {
              var = base + "_" + i;
            }
          }
          taken.add(var);
          out.add(new ExportVariable(var, Secret.of(value), p, name, e.getValue()));
        }
      }
    });
    ctx.audit.record("export", "provider", provider, "connection", provider == null ? "all"
        : out.isEmpty() ? connection : out.get(0).connection(), "variables", out.stream().map(ExportVariable::name)
        .toList());
    return out;
  }

  /** ENV name -> field: the definition's {@code export} map, else the defaults of the auth type. */
  static Map<String, String> exportNames(String provider, Optional<ProviderDefinition> def, AuthType type) {
    Map<String, String> names = new TreeMap<>();
    if (def.isPresent()) {
      ProviderDefinitions.effectiveExport(def.get()).forEach((env, f) -> names.put(env, f.toLowerCase(Locale.ROOT)));
      return names;
    }
    String prefix = envSafe(provider);
    Map<String, String> defaults = new LinkedHashMap<>();
    if (type == AuthType.API_KEY) {
      defaults.put(prefix + "_API_KEY", "api_key");
    } else {
      defaults.put(prefix + "_ACCESS_TOKEN", "access_token");
      defaults.put(prefix + "_REFRESH_TOKEN", "refresh_token");
    }
    return defaults;
  }

  private static @Nullable String value(ConnectionRecord r, String field) {
    return switch (field) {
      case "access_token" -> r.accessToken();
      case "refresh_token" -> r.refreshToken();
      case "id_token" -> r.idToken();
      case "api_key", "api_token" -> r.apiKey() != null ? r.apiKey() : r.accessToken();
      default -> null;
    };
  }

  static String envSafe(String s) {
    return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  public Whoami whoami() {
    List<String> connected = new ArrayList<>();
    Instant now = ctx.clock.instant();
    ctx.store().allConnectionNames().forEach((p, names) -> {
      boolean any = names.stream().map(n -> ctx.store().connection(p, n)).flatMap(Optional::stream)
          .map(r -> Statuses.effective(r, now, ctx.settings.refreshMargin()))
          .anyMatch(s -> s.equals("connected") || s.equals("expiring"));
      if (any) {
        connected.add(p);
      }
    });
    return new Whoami(ctx.home.root(), Keys.PROFILE, dev.authsome.core.Authsome.VERSION, ctx.settings.vaultBackend(),
        ctx.vaultNotCreatedYet() ? "file (" + ctx.home.root().resolve("vault") + ", not created yet: the first login"
            + " creates it)" : ctx.vault().describe(), connected);
  }
}
