package dev.authsome.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeafContextsTest {
  private final CertificateAuthority ca = CertificateAuthority.ephemeral(
      new TreeSet<>(Set.of("example.test")), Clock.systemUTC());

  static Stream<TlsProviders> providers() {
    List<String> warnings = new ArrayList<>();
    TlsProviders detected = TlsProviders.detect(warnings::add);
    System.out.println("detected TLS provider: " + detected.name() + " " + warnings);
    return detected.name().equals("JDK") ? Stream.of(detected) : Stream.of(detected, TlsProviders.jdk());
  }

  @ParameterizedTest
  @MethodSource("providers")
  void sniServer_presentsAMintedLeaf_thatAClientTrustingOnlyTheRootVerifies_hostnameIncluded(TlsProviders tls)
      throws Exception {
    LeafContexts leaves = new LeafContexts(ca, tls, List.of("http/1.1"));
    try (TlsTestServer server = new TlsTestServer(() -> new SniHandler(leaves))) {
      assertThat(jdkClient(server.port(), "api.example.test")).isEqualTo("http/1.1 hello");
      assertThatThrownBy(() -> jdkClient(server.port(), "other.invalid")).isInstanceOf(Exception.class);
    }
    assertThat(leaves.minted()).isEqualTo(1);
  }

  @Test
  void forHost_mintsOnceForSixteenConcurrentFirstRequests() throws Exception {
    LeafContexts leaves = new LeafContexts(ca, TlsProviders.jdk(), List.of("http/1.1"));
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<SslContext>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit((Callable<SslContext>) () -> {
          start.await();
          return leaves.forHost("new.example.test");
        }));
      }
      start.countDown();
      SslContext first = results.get(0).get(30, TimeUnit.SECONDS);
      for (Future<SslContext> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(leaves.minted()).isEqualTo(1);
    assertThat(leaves.forHost("NEW.example.test.")).isSameAs(leaves.forHost("new.example.test"));
    assertThat(leaves.minted()).isEqualTo(1);
  }

  @Test
  void forHost_andMap_refuseHostsTheCaDoesNotPermit_andAMissingSni() throws Exception {
    LeafContexts leaves = new LeafContexts(ca, TlsProviders.jdk(), List.of("http/1.1"));
    assertThatThrownBy(() -> leaves.forHost("example.com")).isInstanceOf(AuthsomeException.class)
        .hasMessageContaining("'example.com'");
    assertThatThrownBy(() -> leaves.forHost("127.0.0.1")).isInstanceOf(AuthsomeException.class);
    Promise<SslContext> refused = GlobalEventExecutor.INSTANCE.newPromise();
    assertThat(leaves.map("example.com", refused).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.cause()).isInstanceOf(AuthsomeException.class);
    Promise<SslContext> noSni = GlobalEventExecutor.INSTANCE.newPromise();
    assertThat(leaves.map(null, noSni).cause()).isInstanceOf(AuthsomeException.class);
    Promise<SslContext> ok = GlobalEventExecutor.INSTANCE.newPromise();
    assertThat(leaves.map("a.example.test", ok).await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ok.getNow()).isSameAs(leaves.forHost("a.example.test"));
    assertThat(leaves.minted()).isEqualTo(1);
  }

  /** A plain JDK client that trusts only our root, checks the hostname and offers h2 and http/1.1. */
  private String jdkClient(int port, String host) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (Socket raw = new Socket("127.0.0.1", port);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true)) {
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      params.setServerNames(List.of(new SNIHostName(host)));
      params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      socket.setSSLParameters(params);
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      return socket.getApplicationProtocol() + " " + new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (SSLHandshakeException e) {
      throw e;
    }
  }
}
