package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.LoginRequest;
import dev.authsome.proxy.ProxyOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 through the proxy with curl (nghttp2) as the agent: an h2 agent to an HTTP/1.1-only upstream, an h1 agent
 * to an HTTP/2-only upstream, h2 to h2, and 100 concurrent streams multiplexed on one agent connection.
 */
class Http2ProxyTest extends ProxyTestBase {
  static final String H2 = "h2.proxytest.test";

  @Test
  void anHttp2Agent_reachesAnHttp11OnlyUpstream_withTheCredential() throws Exception {
    startProxy(dev.authsome.proxy.ProxyPolicy.ALLOW);
    Curl r = curl("-v", "--http2", "https://" + ROUTED + "/x");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("ALPN: server accepted h2");
    assertThat(r.out()).contains("you sent: Bearer authsome-proxy-managed");
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY);
  }

  @Test
  void http11AndHttp2Agents_bothReachAnHttp2OnlyUpstream_withTheCredential() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream()) {
      Curl one = curl("--http1.1", "https://" + H2 + "/a");
      Curl two = curl("--http2", "https://" + H2 + "/b");

      assertThat(one.exit()).as(one.err()).isZero();
      // the echo is scrubbed: the placeholder padded to the key's length
      assertThat(one.out()).startsWith("h2 you sent: Bearer authsome-proxy-managed").doesNotContain(KEY);
      assertThat(two.out()).startsWith("h2 you sent: Bearer authsome-proxy-managed").doesNotContain(KEY);
      assertThat(h2.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer " + KEY);
    }
  }

  @Test
  void aHundredConcurrentStreams_allGetAnswers_sharingOneUpstreamConnectionPerIoThread() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream()) {
      List<String> args = new ArrayList<>(List.of("--http2", "--parallel", "--parallel-max", "100",
          "--parallel-immediate", "-w", "%{http_version} %{http_code}\\n", "-o", "/dev/null"));
      for (int i = 0; i < 100; i++) {
        args.add("https://" + H2 + "/s" + i);
      }
      Curl r = curl(args.toArray(new String[0]));

      assertThat(r.exit()).as(r.err()).isZero();
      // curl's -o covers the first URL only: the other bodies are printed too, and are scrubbed
      assertThat(r.out().lines().filter(l -> l.equals("2 200"))).hasSize(100);
      assertThat(r.out()).doesNotContain(KEY);
      assertThat(h2.seenAuthorization).hasSize(100).allMatch(a -> a.equals("Bearer " + KEY));
      // upstream connections are kept per I/O thread (no locking); HTTP/2 ones carry every stream of that thread
      assertThat(h2.connections.get()).as("upstream connections")
          .isBetween(1, Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void moreConcurrentStreamsThanTheUpstreamAllows_waitForAFreeStream_insteadOfFailing() throws Exception {
    // nginx allows 128 concurrent streams by default; an agent may open up to the proxy's own cap on one connection
    try (Http2OnlyServer h2 = h2Upstream(new Http2OnlyServer(dir, H2, 10))) {
      List<String> args = new ArrayList<>(List.of("--http2", "--parallel", "--parallel-max", "100",
          "--parallel-immediate", "-w", "%{http_code}\\n", "-o", "/dev/null"));
      for (int i = 0; i < 100; i++) {
        args.add("https://" + H2 + "/s" + i);
      }
      Curl r = curl(args.toArray(new String[0]));

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out().lines().filter(l -> l.endsWith("200"))).hasSize(100);
      assertThat(h2.seenAuthorization).hasSize(100).allMatch(a -> a.equals("Bearer " + KEY));
    }
  }

  @Test
  void oversizedHeaders_getAClearRefusal_onBothVersions_andTheProxyKeepsServing() throws Exception {
    startProxy(dev.authsome.proxy.ProxyPolicy.ALLOW);
    String huge = "X-Huge: " + "a".repeat(70 * 1024);

    Curl h1 = curl("--http1.1", "-H", huge, "-w", "%{http_code}", "https://" + ROUTED + "/big");
    assertThat(h1.out()).contains("header").endsWith("400");
    Curl h2 = curl("--http2", "-H", huge, "https://" + ROUTED + "/big");
    assertThat(h2.exit()).as("an HTTP/2 header list over the limit fails the stream").isNotZero();
    assertThat(routed.seenAuthorization).isEmpty();

    Curl after = curl("--http2", "https://" + ROUTED + "/after");
    assertThat(after.exit()).as(after.err()).isZero();
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY);
  }

  private Http2OnlyServer h2Upstream() throws Exception {
    return h2Upstream(new Http2OnlyServer(dir, H2));
  }

  private Http2OnlyServer h2Upstream(Http2OnlyServer h2) throws Exception {
    authsome.login(LoginRequest.of("h2test"));
    Path trust = dir.resolve("h2-trust.pem");
    Files.writeString(trust, Files.readString(routed.caFile) + Files.readString(h2.caFile));
    proxy = ProxyEngine.start(authsome, ProxyOptions.defaults().withUpstreamCaFile(Optional.of(trust))
        .withResolve(Map.of(H2 + ":443", new InetSocketAddress("127.0.0.1", h2.port()))), warnings::add);
    return h2;
  }
}
