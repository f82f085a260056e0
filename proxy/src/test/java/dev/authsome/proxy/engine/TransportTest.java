package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.authsome.proxy.ProxyPolicy;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The socket transport: on Linux x86-64 the engine runs on Netty's native epoll (the shipped jars carry its library),
 * and the JDK's NIO, used everywhere else and when forced, serves the same exchanges (the other engine tests run on
 * whichever this machine picks).
 */
class TransportTest extends ProxyTestBase {
  @Test
  void onLinuxX8664_theEngineRunsOnNativeEpoll() throws Exception {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
        "the native epoll library is shipped for Linux x86-64 only; here " + os + "/" + arch);
    startProxy(ProxyPolicy.ALLOW);

    assertThat(proxy.transport()).isEqualTo("epoll");
    Curl r = curl("https://" + ROUTED + "/a", "https://" + ROUTED + "/b");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer " + KEY);
  }

  @Test
  void forcedNio_servesInjectedExchanges_andTunnels() throws Exception {
    System.setProperty("authsome.proxy.transport", "nio");
    try {
      startProxy(ProxyPolicy.ALLOW);
    } finally {
      System.clearProperty("authsome.proxy.transport");
    }

    assertThat(proxy.transport()).isEqualTo("nio");
    Curl r = curl("https://" + ROUTED + "/a", "https://" + ROUTED + "/b");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer " + KEY);
    Curl tunnelled = curl("https://" + OTHER + "/echo");
    assertThat(tunnelled.exit()).as(tunnelled.err()).isZero();
    assertThat(other.seenAuthorization).allMatch(a -> a == null || !a.contains(KEY));
  }
}
