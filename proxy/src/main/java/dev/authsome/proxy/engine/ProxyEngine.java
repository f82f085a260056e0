package dev.authsome.proxy.engine;

import dev.authsome.core.Authsome;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProxyRoute;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.LeafContexts;
import dev.authsome.proxy.tls.TlsProviders;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The running proxy: a Netty server on loopback, the route table kept current from the vault (polled four times a
 * second, so a login, logout or refresh elsewhere reaches it within a second), and the audit counter flushed once a
 * second. {@link dev.authsome.proxy.CredentialProxy} is its public face.
 */
public final class ProxyEngine implements AutoCloseable {
  /** A client connection without traffic for this long is closed; exchanges in progress have no time limit. */
  static final int CLIENT_IDLE_SECONDS = 300;
  /**
   * Offered on both legs. The two legs negotiate independently and the exchange code bridges them (an HTTP/2 agent
   * to an HTTP/1.1-only upstream, or the reverse), so no combination ends in a 502.
   */
  private static final List<String> ALPN = List.of("h2", "http/1.1");

  private final Authsome authsome;
  private final EventLoopGroup group;
  private final ExecutorService blocking;
  private final ScheduledExecutorService watcher;
  private final Channel server;
  private final ProxyState state;
  private final String credential;
  private final String tlsProvider;
  private final Transport transport;
  private volatile Optional<Object> revision;
  private final boolean withUnconnected;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private ProxyEngine(Authsome authsome, ProxyOptions options, Consumer<String> warnings) {
    this.authsome = authsome;
    checkBind(options);
    TlsProviders tls = TlsProviders.detect(warnings);
    this.tlsProvider = tls.name();
    this.revision = authsome.vaultRevision();
    // the catalogue's unconnected providers only serve deny-mode answers ("run authsome login X"); reading the
    // whole catalogue costs start-up time the default allow mode does not need to pay
    this.withUnconnected = options.policy() == dev.authsome.proxy.ProxyPolicy.DENY;
    RouteTable routes = new RouteTable(authsome.proxyRoutes(withUnconnected));
    CertificateAuthority ca = options.persistentCa() ? persistentCa(authsome, routes, warnings)
        : CertificateAuthority.ephemeral(routes.dnsNames(), Clock.systemUTC());
    LeafContexts leaves = new LeafContexts(ca, tls, ALPN);
    SslContext upstreamTls = tls.upstreamContext(options.upstreamCaFile(), ALPN);
    this.blocking = Executors.newFixedThreadPool(2, daemon("authsome-proxy-vault"));
    this.transport = Transport.pick();
    this.credential = randomCredential();
    String expected = "Basic " + Base64.getEncoder().encodeToString(("authsome:" + credential)
        .getBytes(StandardCharsets.UTF_8));
    this.state = new ProxyState(routes, new Credentials(authsome, blocking, Clock.systemUTC()),
        new Upstreams(options.resolve(), upstreamTls, options.upstreamProxy(), transport.socketChannel()),
        new AuditCounter(authsome),
        options.policy(), ca, leaves, expected, warnings);
    this.group = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()),
        daemon("authsome-proxy-io"), transport.ioHandlers().get());
    try {
      this.server = new ServerBootstrap().group(group).channel(transport.serverChannel())
          .option(ChannelOption.SO_BACKLOG, 1024)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, CLIENT_IDLE_SECONDS, TimeUnit.SECONDS));
              ch.pipeline().addLast("http", new HttpServerCodec(8192, 32 * 1024, 64 * 1024));
              ch.pipeline().addLast("front", new FrontHandler(state));
              ch.pipeline().addLast("exchange", new ExchangeHandler(state, null, false));
            }
          })
          .bind(options.bindAddress(), options.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      blocking.shutdownNow();
      throw new AuthsomeException(dev.authsome.core.ErrorCode.USAGE, "Cannot listen on " + options.bindAddress()
          + ":" + options.port() + " (" + ExchangeHandler.oneLine(e) + "); choose another --port.", e);
    }
    this.watcher = Executors.newSingleThreadScheduledExecutor(daemon("authsome-proxy-watch"));
    AtomicInteger tick = new AtomicInteger();
    watcher.scheduleWithFixedDelay(() -> watch(tick.incrementAndGet()), 250, 250, TimeUnit.MILLISECONDS);
  }

  /**
   * The CA kept in the vault: made (constrained to today's routes) and stored on first use; a stored one is used
   * as it is, and hosts connected since are tunnelled with a warning to rotate it.
   */
  private static CertificateAuthority persistentCa(Authsome authsome, RouteTable routes, Consumer<String> warnings) {
    Optional<dev.authsome.core.Secret> stored = authsome.proxyCa();
    if (stored.isPresent()) {
      CertificateAuthority ca = CertificateAuthority.restore(stored.get().reveal(), Clock.systemUTC());
      if (!ca.currentFor(java.time.Instant.now())) {
        warnings.accept("The persistent proxy CA expires within a day; run 'authsome proxy ca rotate' and trust the"
            + " new certificate.");
      }
      List<String> outside = routes.dnsNames().stream().filter(n -> !ca.permits(n)).toList();
      if (!outside.isEmpty()) {
        warnings.accept("The persistent proxy CA does not cover " + String.join(", ", outside) + " (connected"
            + " after it was made); that traffic is tunnelled without credentials until you run 'authsome proxy ca"
            + " rotate' and trust the new certificate.");
      }
      return ca;
    }
    return rotateCa(authsome);
  }

  /** Makes a new persistent CA constrained to the hosts of today's connected routes, stores it, and returns it. */
  public static CertificateAuthority rotateCa(Authsome authsome) {
    RouteTable routes = new RouteTable(authsome.proxyRoutes(false));
    CertificateAuthority ca = CertificateAuthority.ephemeral(routes.dnsNames(), Clock.systemUTC());
    authsome.storeProxyCa(dev.authsome.core.Secret.of(ca.export()));
    return ca;
  }

  /** The persistent CA's certificate (PEM), if one was made. */
  public static Optional<String> persistentCaPem(Authsome authsome) {
    return authsome.proxyCa().map(s -> CertificateAuthority.restore(s.reveal(), Clock.systemUTC())
        .rootCertificatePem());
  }

  /** Starts the proxy; the caller closes it. */
  public static ProxyEngine start(Authsome authsome, ProxyOptions options, Consumer<String> warnings) {
    return new ProxyEngine(Objects.requireNonNull(authsome, "authsome"), Objects.requireNonNull(options, "options"),
        Objects.requireNonNull(warnings, "warnings"));
  }

  private void watch(int tick) {
    try {
      Optional<Object> now = authsome.vaultRevision();
      boolean changed = now.isEmpty() ? tick % 4 == 0 : !now.equals(revision);
      if (changed) {
        revision = now;
        state.routes(new RouteTable(authsome.proxyRoutes(withUnconnected)));
        state.credentials.invalidate();
      }
      if (tick % 4 == 0) {
        state.audit.flush();
      }
    } catch (RuntimeException e) {
      state.warnOnce("watch:" + e.getClass().getName(), "The proxy could not re-read the vault ("
          + ExchangeHandler.oneLine(e) + "); it keeps the routes it has.");
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The per-run proxy credential (password of user {@code authsome}). */
  public String credential() {
    return credential;
  }

  public String caCertificatePem() {
    return state.ca.rootCertificatePem();
  }

  /** The connected routes the proxy serves now. */
  public List<ProxyRoute> routes() {
    return state.routes().connectedRoutes();
  }

  /** The TLS implementation in use ({@code Conscrypt} or {@code JDK}). */
  public String tlsProvider() {
    return tlsProvider;
  }

  public String transport() {
    return transport.name();
  }

  /** How many leaf certificates were minted (tests: a tunnelled host must get none). */
  long leavesMinted() {
    return state.leaves.minted();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.close().syncUninterruptibly();
    watcher.shutdownNow();
    try {
      state.audit.flush();
    } catch (RuntimeException e) {
      // the audit log is best effort at shutdown
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    blocking.shutdownNow();
  }

  private static void checkBind(ProxyOptions options) {
    InetAddress address;
    try {
      address = InetAddress.getByName(options.bindAddress());
    } catch (UnknownHostException e) {
      throw dev.authsome.core.AuthsomeException.usage("Cannot bind the proxy to '" + options.bindAddress()
          + "': unknown address.");
    }
    if (!address.isLoopbackAddress() && !options.allowRemote()) {
      throw dev.authsome.core.AuthsomeException.usage("--bind " + options.bindAddress() + " is not a loopback"
          + " address; add --allow-remote to accept other machines (the proxy credential is still required).");
    }
  }

  private static String randomCredential() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
