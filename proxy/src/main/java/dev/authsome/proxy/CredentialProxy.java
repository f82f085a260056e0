package dev.authsome.proxy;

import dev.authsome.core.Authsome;
import dev.authsome.core.ProxyRoute;
import dev.authsome.proxy.engine.ProxyEngine;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * The credential-injecting proxy of one {@code authsome run} or {@code authsome proxy}: listening on loopback (or,
 * with {@link ProxyOptions#allowRemote()}, elsewhere), requiring its per-run credential, intercepting only the hosts
 * of connected providers with a CA that exists only in this process and may sign only for those hosts.
 */
public final class CredentialProxy implements AutoCloseable {
  private final ProxyEngine engine;

  private CredentialProxy(ProxyEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts the proxy. {@code warnings} receives one-line, secret-free notices (the TLS fallback, ambiguous routes,
   * hosts connected after the start).
   */
  public static CredentialProxy start(Authsome authsome, ProxyOptions options, Consumer<String> warnings) {
    return new CredentialProxy(ProxyEngine.start(authsome, options, warnings));
  }

  public InetSocketAddress address() {
    return engine.address();
  }

  /** {@code http://authsome:<credential>@host:port}: what {@code HTTPS_PROXY} and {@code HTTP_PROXY} are set to. */
  public URI proxyUrl() {
    InetSocketAddress a = engine.address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create("http://authsome:" + engine.credential() + "@" + host + ":" + a.getPort());
  }

  /** The CA certificate (PEM) agents must trust for intercepted hosts. */
  public String caCertificatePem() {
    return engine.caCertificatePem();
  }

  /** The connected routes in use. */
  public List<ProxyRoute> routes() {
    return engine.routes();
  }

  /** {@code Conscrypt}, or {@code JDK} when Conscrypt could not load here. */
  public String tlsProvider() {
    return engine.tlsProvider();
  }

  /** The socket transport its event loops run on: {@code epoll} (Linux's native one) or {@code nio}. */
  public String transport() {
    return engine.transport();
  }

  /**
   * Makes a new persistent CA, constrained to the hosts of today's connected providers, and stores it in the vault
   * (replacing the old one). Returns its certificate (PEM), which must be trusted again wherever the old one was.
   */
  public static String rotatePersistentCa(Authsome authsome) {
    return ProxyEngine.rotateCa(authsome).rootCertificatePem();
  }

  /** The persistent CA's certificate (PEM), if {@code authsome proxy --persistent-ca} made one. */
  public static java.util.Optional<String> persistentCaPem(Authsome authsome) {
    return ProxyEngine.persistentCaPem(authsome);
  }

  @Override
  public void close() {
    engine.close();
  }
}
