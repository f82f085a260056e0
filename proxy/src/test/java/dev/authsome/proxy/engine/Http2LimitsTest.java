package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.LoginRequest;
import dev.authsome.proxy.ProxyOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The limits that protect the proxy from a hostile HTTP/2 agent (a hand-written client, {@link RawH2Agent}, that
 * ignores what the proxy advertises): streams beyond the concurrency cap are refused one by one while the others are
 * answered, whether or not the agent acknowledged the settings; a header list over the limit gets a 431 on its
 * stream, one far over it ends that connection with GOAWAY; other streams and connections keep being served.
 */
class Http2LimitsTest extends ProxyTestBase {
  static final String H2 = "h2.proxytest.test";
  private static final int CAP = ProtocolSwitch.MAX_CONCURRENT_STREAMS;

  @Test
  void theProxyAdvertisesItsLimits() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream(); RawH2Agent agent = agent(true)) {
      agent.awaitSettings();

      assertThat(agent.serverSettings)
          .containsEntry(RawH2Agent.SETTINGS_MAX_CONCURRENT_STREAMS, (long) CAP)
          .containsEntry(RawH2Agent.SETTINGS_MAX_HEADER_LIST_SIZE, (long) ProtocolSwitch.MAX_HEADER_LIST_BYTES);
    }
  }

  @Test
  void streamsBeyondTheCap_openedWithoutWaiting_areRefused_andTheOthersAnswered() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream(); RawH2Agent agent = agent(true)) {
      agent.awaitSettings();
      overrunAndCheck(agent, h2);
    }
  }

  @Test
  void theCapHolds_evenForAnAgentThatNeverAcknowledgesTheSettings() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream(); RawH2Agent agent = agent(false)) {
      agent.awaitSettings();
      overrunAndCheck(agent, h2);
    }
  }

  /**
   * Opens the cap plus 20 streams at once, each left open (a request body still to come) so they all count as
   * active; the extra ones must be refused (REFUSED_STREAM: safe for the agent to retry); then ends the others'
   * bodies and expects every one answered with the credential, and the connection still usable after.
   */
  private void overrunAndCheck(RawH2Agent agent, Http2OnlyServer h2) throws Exception {
    int extra = 20;
    List<Integer> streams = IntStream.range(0, CAP + extra).map(i -> 1 + 2 * i).boxed().toList();
    for (int s : streams) {
      agent.request(s, "POST", "/s" + s, false, Map.of());
    }
    agent.flush();
    List<Integer> admitted = streams.subList(0, CAP);
    List<Integer> beyond = streams.subList(CAP, streams.size());
    agent.awaitAnswers(beyond, 20);
    assertThat(agent.resets).as("streams beyond the cap").containsOnlyKeys(beyond)
        .allSatisfy((s, code) -> assertThat(code).isEqualTo(RawH2Agent.REFUSED_STREAM));

    for (int s : admitted) {
      agent.endStream(s);
    }
    agent.flush();
    agent.awaitAnswers(admitted, 30);
    assertThat(agent.statuses).as("answers to the admitted streams").hasSize(CAP)
        .containsOnlyKeys(admitted).allSatisfy((s, status) -> assertThat(status).isEqualTo("200"));
    assertThat(h2.seenAuthorization).hasSize(CAP).allMatch(a -> a.equals("Bearer " + KEY));

    int next = streams.get(streams.size() - 1) + 2;
    agent.request(next, "GET", "/after", true, Map.of());
    agent.flush();
    agent.awaitAnswers(List.of(next), 10);
    assertThat(agent.statuses).containsEntry(next, "200");
    assertThat(agent.goAwayError).as("GOAWAY error code").isEqualTo(-1);
    assertThat(curl("--http2", "-o", "/dev/null", "-w", "%{http_code}", "https://" + H2 + "/other").out())
        .as("another connection").isEqualTo("200");
  }

  @Test
  void aHeaderListOverTheLimit_gets431OnItsStream_andTheSameConnectionKeepsServing() throws Exception {
    try (Http2OnlyServer h2 = h2Upstream(); RawH2Agent agent = agent(true)) {
      agent.awaitSettings();
      agent.request(1, "GET", "/big", true, Map.of("x-huge", "a".repeat(ProtocolSwitch.MAX_HEADER_LIST_BYTES + 1000)));
      agent.flush();
      agent.awaitAnswers(List.of(1), 10);

      assertThat(agent.statuses).containsEntry(1, "431");
      agent.request(3, "GET", "/after", true, Map.of());
      agent.flush();
      agent.awaitAnswers(List.of(3), 10);
      assertThat(agent.statuses).containsEntry(3, "200");
      assertThat(h2.seenAuthorization).as("only the request within the limit went upstream")
          .containsExactly("Bearer " + KEY);
    }
  }

  @Test
  void aHeaderListFarOverTheLimit_endsThatConnectionWithGoaway_andOtherConnectionsAreServed() throws Exception {
    List<String> tailWarnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Logger pipelineLog = java.util.logging.Logger.getLogger("io.netty.channel.DefaultChannelPipeline");
    java.util.logging.Handler watch = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        tailWarnings.add(String.valueOf(r.getMessage()));
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    pipelineLog.addHandler(watch);
    try (Http2OnlyServer h2 = h2Upstream(); RawH2Agent hostile = agent(true); RawH2Agent polite = agent(true)) {
      hostile.awaitSettings();
      polite.awaitSettings();
      hostile.request(1, "GET", "/huge", true, Map.of("x-huge", "a".repeat(4 * ProtocolSwitch.MAX_HEADER_LIST_BYTES)));
      hostile.flush();
      long end = System.nanoTime() + 10_000_000_000L;
      while (hostile.goAwayError < 0 && !hostile.closedByPeer && System.nanoTime() < end) {
        Thread.sleep(20);
      }

      assertThat(hostile.goAwayError).as("GOAWAY error code").isPositive();
      assertThat(hostile.statuses).doesNotContainKey(1);
      polite.request(1, "GET", "/fine", true, Map.of());
      polite.flush();
      polite.awaitAnswers(List.of(1), 10);
      assertThat(polite.statuses).containsEntry(1, "200");
      assertThat(h2.seenAuthorization).containsExactly("Bearer " + KEY);
      assertThat(tailWarnings).as("exceptions logged by a pipeline's tail (a stack trace per hostile client)")
          .isEmpty();
    } finally {
      pipelineLog.removeHandler(watch);
    }
  }

  private RawH2Agent agent(boolean ackSettings) throws Exception {
    return new RawH2Agent(proxy, agentTrusting(proxy.caCertificatePem()), H2, ackSettings);
  }

  private Http2OnlyServer h2Upstream() throws Exception {
    Http2OnlyServer h2 = new Http2OnlyServer(dir, H2);
    authsome.login(LoginRequest.of("h2test"));
    Path trust = dir.resolve("h2-trust.pem");
    Files.writeString(trust, Files.readString(routed.caFile) + Files.readString(h2.caFile));
    proxy = ProxyEngine.start(authsome, ProxyOptions.defaults().withUpstreamCaFile(Optional.of(trust))
        .withResolve(Map.of(H2 + ":443", new InetSocketAddress("127.0.0.1", h2.port()))), warnings::add);
    return h2;
  }
}
