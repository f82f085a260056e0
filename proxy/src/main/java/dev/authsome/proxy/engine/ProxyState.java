package dev.authsome.proxy.engine;

import dev.authsome.proxy.ProxyPolicy;
import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.LeafContexts;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** What every connection handler shares: the live route table and the services around it. */
final class ProxyState {
  final Credentials credentials;
  final Upstreams upstreams;
  final AuditCounter audit;
  final ProxyPolicy policy;
  final CertificateAuthority ca;
  final LeafContexts leaves;
  /** {@code Basic base64(authsome:<credential>)}: the only Proxy-Authorization value accepted. */
  final String expectedProxyAuthorization;
  final Consumer<String> warnings;
  private final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();
  private volatile RouteTable routes;

  ProxyState(RouteTable routes, Credentials credentials, Upstreams upstreams, AuditCounter audit, ProxyPolicy policy,
      CertificateAuthority ca, LeafContexts leaves, String expectedProxyAuthorization, Consumer<String> warnings) {
    this.routes = routes;
    this.credentials = credentials;
    this.upstreams = upstreams;
    this.audit = audit;
    this.policy = policy;
    this.ca = ca;
    this.leaves = leaves;
    this.expectedProxyAuthorization = expectedProxyAuthorization;
    this.warnings = warnings;
  }

  RouteTable routes() {
    return routes;
  }

  void routes(RouteTable table) {
    this.routes = table;
  }

  /** Whether a CONNECT to {@code a} is terminated here: a connected route covers it and the CA may sign for it. */
  boolean intercepts(Authority a) {
    if (!routes.covers(a)) {
      return false;
    }
    if (!ca.permits(a.host())) {
      warnOnce("ca:" + a.host(), a.host() + " was connected after this proxy started and is outside its CA's name"
          + " constraints; its traffic is tunnelled without a credential until the proxy restarts.");
      return false;
    }
    return true;
  }

  /** Warns once per {@code key} for the life of the proxy (a busy agent must not flood the terminal). */
  void warnOnce(String key, String message) {
    if (warnedOnce.add(key)) {
      warnings.accept(message);
    }
  }
}
