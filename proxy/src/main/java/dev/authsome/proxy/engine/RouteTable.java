package dev.authsome.proxy.engine;

import dev.authsome.core.ProxyRoute;
import dev.authsome.core.RouteMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The routes in force, and the two questions the proxy asks of them: should a CONNECT to this authority be
 * intercepted (some connected route covers the host, and the CA may sign for it), and what does one request inside
 * it get (a credential, nothing, or a refusal). Immutable: a change in the vault builds a new table.
 */
final class RouteTable {
  /** Bound on {@link #candidates}: far more hosts than an agent talks to; past it, lookups are not remembered. */
  static final int CANDIDATE_CACHE_LIMIT = 4096;

  private final List<Entry> entries;
  /**
   * Per authority, the entries whose routes cover its host at all: no other entry can match a request there, so the
   * per-request decision scans these (usually one) instead of every catalogued provider's routes.
   */
  private final ConcurrentHashMap<Authority, List<Entry>> candidates = new ConcurrentHashMap<>();

  private record Entry(ProxyRoute route, RouteMatcher api, RouteMatcher excluded) {
  }

  /** What one request gets. */
  sealed interface Decision {
    /** Inject {@code route}'s credential. */
    record Inject(ProxyRoute route, String entry) implements Decision {
    }

    /** No route matches: forward untouched (policy allow) or refuse (deny). */
    record Miss() implements Decision {
    }

    /** Two providers' routes match equally well: nothing is injected, and the user is told. */
    record Ambiguous(List<String> providers) implements Decision {
    }

    /** The provider's OAuth endpoint: forwarded untouched, never injected. */
    record OAuthEndpoint(String provider) implements Decision {
    }

    /** The provider owns the route but has no connection. */
    record Unconnected(String provider) implements Decision {
    }
  }

  RouteTable(List<ProxyRoute> routes) {
    List<Entry> list = new ArrayList<>();
    for (ProxyRoute r : routes) {
      list.add(new Entry(r, RouteMatcher.of(r.apiUrls()), RouteMatcher.of(r.excludedUrls())));
    }
    this.entries = List.copyOf(list);
  }

  List<ProxyRoute> connectedRoutes() {
    return entries.stream().map(Entry::route).filter(ProxyRoute::connected).toList();
  }

  /** The DNS names the connected routes can match: what the CA is constrained to. */
  SortedSet<String> dnsNames() {
    SortedSet<String> names = new TreeSet<>();
    for (Entry e : entries) {
      if (e.route.connected()) {
        names.addAll(e.api.dnsNames());
      }
    }
    return names;
  }

  /** The entries whose routes cover {@code authority}'s host (whatever the path), in table order. */
  private List<Entry> candidates(Authority authority) {
    List<Entry> known = candidates.get(authority);
    if (known != null) {
      return known;
    }
    List<Entry> list = new ArrayList<>();
    for (Entry e : entries) {
      if (e.api.coversHost(authority.host(), authority.port())) {
        list.add(e);
      }
    }
    List<Entry> found = List.copyOf(list);
    if (candidates.size() < CANDIDATE_CACHE_LIMIT) {
      candidates.putIfAbsent(authority, found);
    }
    return found;
  }

  /** Whether a connected route covers the host (whatever the path). */
  boolean covers(Authority authority) {
    if (authority.loopbackLiteral()) {
      return false;
    }
    for (Entry e : candidates(authority)) {
      if (e.route.connected()) {
        return true;
      }
    }
    return false;
  }

  /** A catalogued provider without connection whose routes cover the host, for the deny message. */
  Optional<String> unconnectedOwner(Authority authority) {
    for (Entry e : candidates(authority)) {
      if (!e.route.connected()) {
        return Optional.of(e.route.provider());
      }
    }
    return Optional.empty();
  }

  Decision decide(Authority authority, String path) {
    if (authority.loopbackLiteral()) {
      return new Decision.Miss();
    }
    String p = path.isEmpty() ? "/" : path;
    int q = p.indexOf('?');
    if (q >= 0) {
      p = p.substring(0, q);
    }
    int best = -1;
    List<Entry> winners = new ArrayList<>();
    List<String> winningEntries = new ArrayList<>();
    // a route that matches a request also covers its host, so the candidates hold every possible match
    for (Entry e : candidates(authority)) {
      Optional<RouteMatcher.Route> m = e.api.match(authority.host(), authority.port(), p);
      if (m.isEmpty()) {
        continue;
      }
      int s = m.get().specificity();
      // a connected provider outranks an unconnected one on the same specificity
      if (s > best) {
        best = s;
        winners.clear();
        winningEntries.clear();
      }
      if (s == best) {
        winners.add(e);
        winningEntries.add(m.get().entry());
      }
    }
    if (winners.isEmpty()) {
      return new Decision.Miss();
    }
    List<Entry> connected = winners.stream().filter(e -> e.route.connected()).toList();
    if (connected.isEmpty()) {
      return new Decision.Unconnected(winners.get(0).route.provider());
    }
    if (connected.size() > 1) {
      return new Decision.Ambiguous(connected.stream().map(e -> e.route.provider()).toList());
    }
    Entry winner = connected.get(0);
    if (winner.excluded.match(authority.host(), authority.port(), p).isPresent()) {
      return new Decision.OAuthEndpoint(winner.route.provider());
    }
    return new Decision.Inject(winner.route, winningEntries.get(winners.indexOf(winner)));
  }

  static @Nullable String providerOf(Decision d) {
    if (d instanceof Decision.Inject i) {
      return i.route().provider();
    } else if (d instanceof Decision.OAuthEndpoint o) {
      return o.provider();
    } else if (d instanceof Decision.Unconnected u) {
      return u.provider();
    }
    return null;
  }
}
