package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.authsome.core.AuthType;
import dev.authsome.core.Authsome;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.LoginRequest;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.proxy.ProxyPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the proxy engine tests share: the engine end to end inside one JVM, with real peers: curl (OpenSSL) as the agent, the JDK's HTTPS server as the
 * provider's API on {@code .test} names, an engine on a memory vault holding an API key. Every assertion is about
 * what the agent or the server saw.
 */
abstract class ProxyTestBase {
  static {
    LeakWatch.install();
    // the JDK's HTTP client refuses Basic proxy authentication for tunnels unless told otherwise
    System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
  }

  static final String ROUTED = "api.proxytest.test";
  static final String OTHER = "other.proxytest.test";
  static final String KEY = "sk-live-0123456789abcdef";

  @TempDir Path dir;
  TestUpstream routed;
  TestUpstream other;
  Authsome authsome;
  ProxyEngine proxy;
  final AtomicReference<String> nextKey = new AtomicReference<>(KEY);
  final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    routed = new TestUpstream(dir, ROUTED);
    other = new TestUpstream(dir, OTHER);
    authsome = Authsome.builder().home(dir.resolve("home")).environment(Map.of())
        .vaultProvider(new dev.authsome.vault.memory.MemoryVaultProvider())
        .catalogue(catalogue(provider("proxytest", ROUTED), provider("wstest", "ws.proxytest.test"),
            provider("h2test", "h2.proxytest.test"), provider("grpctest", "grpc.proxytest.test")))
        .flows(flows(new KeyFlow())).input(request -> Map.of("api_key", Secret.of(nextKey.get()))).build();
    authsome.login(LoginRequest.of("proxytest"));
  }

  ProxyEngine startProxy(ProxyPolicy policy) {
    return startProxy(policy, Map.of(ROUTED + ":8080", new InetSocketAddress("127.0.0.1", routed.plainPort())));
  }

  ProxyEngine startProxy(ProxyPolicy policy, Map<String, InetSocketAddress> extraResolve) {
    return startProxy(policy, extraResolve, dev.authsome.proxy.UpstreamProxy.NONE);
  }

  ProxyEngine startProxy(ProxyPolicy policy, Map<String, InetSocketAddress> extraResolve,
      dev.authsome.proxy.UpstreamProxy parent) {
    Path bundle = dir.resolve("upstream-cas.pem");
    try {
      Files.writeString(bundle, Files.readString(routed.caFile) + Files.readString(other.caFile));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    proxy = ProxyEngine.start(authsome, ProxyOptions.defaults().withPolicy(policy)
        .withUpstreamCaFile(Optional.of(bundle))
        .withUpstreamProxy(parent)
        .withResolve(resolve(extraResolve)), warnings::add);
    return proxy;
  }

  @org.junit.jupiter.api.AfterAll
  static void noBufferLeaked() throws InterruptedException {
    assertThat(LeakWatch.leaks()).as("Netty leak reports").isEmpty();
  }

  Map<String, InetSocketAddress> resolve(Map<String, InetSocketAddress> extra) {
    Map<String, InetSocketAddress> m = new java.util.HashMap<>(extra);
    m.put(ROUTED + ":443", new InetSocketAddress("127.0.0.1", routed.port()));
    m.put(OTHER + ":443", new InetSocketAddress("127.0.0.1", other.port()));
    return m;
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    authsome.close();
    routed.close();
    other.close();
  }

  static javax.net.ssl.SSLContext agentTrusting(String pem) throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (java.security.cert.X509Certificate c : dev.authsome.proxy.tls.Pem.certificates(pem)) {
      ks.setCertificateEntry("ca" + i++, c);
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  // ------------------------------------------------------------------------------------------------ fixtures

  record Curl(int exit, String out, String err) {
  }

  List<String> curlArgs(String... args) throws IOException {
    Path ca = dir.resolve("agent-trust.pem");
    Files.writeString(ca, proxy.caCertificatePem() + Files.readString(other.caFile));
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(),
        "--proxy", "http://authsome:" + proxy.credential() + "@127.0.0.1:" + proxy.address().getPort()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  Curl curl(String... args) throws Exception {
    return run(curlArgs(args).toArray(new String[0]));
  }

  static Curl run(String... cmd) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
    return new Curl(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  static ProviderDefinition provider(String name, String host) {
    return new ProviderDefinition(1, name, name, null, null, null, AuthType.API_KEY, "api_key", null,
        new ProviderDefinition.ApiKeyConfig("Authorization", "Bearer", null, null, Map.of()), Map.of(),
        List.of(host), Map.of(), Map.of());
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

  static FlowRegistry flows(AuthFlow flow) {
    return new FlowRegistry() {
      @Override
      public SortedSet<String> ids() {
        return new TreeSet<>(Set.of(flow.id()));
      }

      @Override
      public Optional<AuthFlow> flow(String id) {
        return flow.id().equals(id) ? Optional.of(flow) : Optional.empty();
      }
    };
  }

  /** Asks for an api_key, like the real api_key flow plugin. */
  static final class KeyFlow implements AuthFlow {
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
  }
}
