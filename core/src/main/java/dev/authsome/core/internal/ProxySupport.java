package dev.authsome.core.internal;

import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.InjectedCredential;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProxyRoute;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the credential proxy asks of the engine: the route table (connected providers first, then every catalogued
 * provider with API routes, so that a request to an unconnected provider can be told what to run), the headers of a
 * connection with how long they may be reused, and the vault's revision for noticing changes made elsewhere.
 */
public final class ProxySupport {
  private final Context ctx;
  private final Tokens tokens;

  public ProxySupport(Context ctx, Tokens tokens) {
    this.ctx = ctx;
    this.tokens = tokens;
  }

  public List<ProxyRoute> routes(boolean includeUnconnected) {
    Map<String, List<String>> connections = new TreeMap<>(ctx.store().allConnectionNames());
    List<ProxyRoute> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Set<String> envTaken = new HashSet<>();
    for (Map.Entry<String, List<String>> e : connections.entrySet()) {
      String provider = e.getKey();
      String name = ctx.store().defaultConnection(provider);
      if (!e.getValue().contains(name)) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        name = e.getValue().get(0);
      }
      Optional<ConnectionRecord> record = ctx.store().connection(provider, name);
      if (record.isEmpty()) {
        continue;
      }
      ConnectionRecord r = record.get();
      Optional<ProviderDefinition> def = Lookups.findProvider(ctx, provider).map(ResolvedProvider::definition)
          .map(d -> ProviderDefinitions.resolve(d, r.baseUrl()));
      List<String> apiUrls = r.apiUrls().isEmpty() ? def.map(ProviderDefinition::apiUrls).orElse(List.of())
          : r.apiUrls();
      Map<String, String> placeholders = new LinkedHashMap<>();
      String placeholder = def.map(ProxySupport::placeholder).orElse(ProxyRoute.DEFAULT_PLACEHOLDER);
      for (String env : Queries.exportNames(provider, def, r.authType()).keySet()) {
        if (envTaken.add(env)) {
          placeholders.put(env, placeholder);
        }
      }
      out.add(new ProxyRoute(provider, r.connectionName(), apiUrls, def.map(ProxySupport::oauthUrls)
          .orElse(List.of()), placeholders));
      seen.add(provider);
    }
    if (includeUnconnected) {
      for (ResolvedProvider p : ctx.catalogue().list()) {
        ProviderDefinition d = p.definition();
        if (!seen.contains(d.name()) && !d.apiUrls().isEmpty()) {
          out.add(new ProxyRoute(d.name(), null, d.apiUrls(), oauthUrls(d), Map.of()));
        }
      }
    }
    return out;
  }

  public InjectedCredential credential(String provider, @Nullable String connection) {
    ConnectionRecord r = tokens.fresh(provider, connection);
    Map<String, Secret> headers = tokens.authHeaders(r.provider(), r.connectionName());
    Instant reuseUntil = null;
    if (r.expiresAt() != null) {
      reuseUntil = r.expiresAt().minus(Statuses.margin(r, ctx.settings.refreshMargin()));
    }
    return new InjectedCredential(headers, reuseUntil);
  }

  /** The vault key of the persistent proxy CA: outside the profile tree, so no listing ever shows it. */
  static final String PROXY_CA_KEY = "authsome:proxy:ca";

  public Optional<Secret> storedCa() {
    return ctx.vault().get(PROXY_CA_KEY).map(Secret::of);
  }

  public void storeCa(Secret exported) {
    ctx.store().putRaw(PROXY_CA_KEY, exported.reveal());
    ctx.audit.record("proxy_ca_stored");
  }

  public Optional<Object> revision() {
    return ctx.vault().revision();
  }

  public void audit(String event, Map<String, ?> fields) {
    Object[] flat = new Object[fields.size() * 2];
    int i = 0;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      flat[i++] = e.getKey();
      flat[i++] = e.getValue();
    }
    ctx.audit.record(event, flat);
  }

  private static String placeholder(ProviderDefinition d) {
    Object own = d.extra().get("proxy_placeholder");
    return own instanceof String s && !s.isBlank() ? s : ProxyRoute.DEFAULT_PLACEHOLDER;
  }

  private static List<String> oauthUrls(ProviderDefinition d) {
    List<String> urls = new ArrayList<>();
    d.oauthConfig().ifPresent(o -> {
      for (String u : new String[] {o.authorizationUrl(), o.tokenUrl(), o.revocationUrl(),
          o.deviceAuthorizationUrl(), o.registrationEndpoint()}) {
        if (u != null && !u.contains("{base_url}")) {
          urls.add(u);
        }
      }
    });
    return urls;
  }
}
