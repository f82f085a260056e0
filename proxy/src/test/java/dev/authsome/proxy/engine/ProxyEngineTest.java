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

/** The HTTP/1.1 engine end to end: what the agent and the server see. */
class ProxyEngineTest extends ProxyTestBase {
  @Test
  void routedHost_getsTheCredential_andTheAgentNeverSeesItEchoed() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = curl("-i", "https://" + ROUTED + "/echo");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("you sent");
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY);
    assertThat(routed.seenHost).containsExactly(ROUTED);
    assertThat(r.out()).doesNotContain(KEY).contains("you sent: Bearer authsome-proxy-managed");
    assertThat(r.out()).containsPattern("(?i)x-echo: Bearer authsome-proxy-managed");
  }

  @Test
  void placeholderTheAgentSent_isReplaced_andKeepAliveReusesTheUpstream() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = curl("-H", "Authorization: Bearer authsome-proxy-managed", "https://" + ROUTED + "/a",
        "https://" + ROUTED + "/b");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer " + KEY);
  }

  @Test
  void pipelinedRequests_inOneWrite_areEachInjectedAndAnsweredInOrder() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", proxy.address().getPort())) {
      raw.setSoTimeout(20_000);
      String basic = java.util.Base64.getEncoder().encodeToString(("authsome:" + proxy.credential())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      raw.getOutputStream().write(("CONNECT " + ROUTED + ":443 HTTP/1.1\r\nHost: " + ROUTED + ":443\r\n"
          + "Proxy-Authorization: Basic " + basic + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream rawIn = raw.getInputStream();
      assertThat(head(rawIn)).startsWith("HTTP/1.1 200");
      javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) agentTrusting(proxy.caCertificatePem())
          .getSocketFactory().createSocket(raw, ROUTED, 443, true);
      tls.startHandshake();
      String req = "GET /p1 HTTP/1.1\r\nHost: " + ROUTED + "\r\n\r\n"
          + "POST /p2 HTTP/1.1\r\nHost: " + ROUTED + "\r\nContent-Length: 5\r\n\r\nhello"
          + "GET /p3 HTTP/1.1\r\nHost: " + ROUTED + "\r\n\r\n";
      tls.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      tls.getOutputStream().flush();
      java.io.InputStream in = new java.io.BufferedInputStream(tls.getInputStream());
      for (int i = 0; i < 3; i++) {
        String h = head(in);
        assertThat(h).as("response %d", i + 1).startsWith("HTTP/1.1 200");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        assertThat(m.find()).as(h).isTrue();
        String body = new String(in.readNBytes(Integer.parseInt(m.group(1))), java.nio.charset.StandardCharsets.UTF_8);
        // the echo is scrubbed to the placeholder, padded to the secret's length so Content-Length still holds
        assertThat(body).startsWith("you sent: Bearer authsome-proxy-managed").doesNotContain(KEY);
      }
    }
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer " + KEY, "Bearer " + KEY);
  }

  /** Reads an HTTP head (up to the blank line) byte by byte, leaving the body in the stream. */
  private static String head(java.io.InputStream in) throws java.io.IOException {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new java.io.EOFException("the connection ended inside a head: " + b);
      }
      b.append((char) c);
    }
    return b.toString();
  }

  @Test
  void unroutedHost_isTunnelledUntouched_withItsOwnCertificate() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = curl("-v", "https://" + OTHER + "/x");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(other.seenAuthorization).containsExactly("<none>");
    // the certificate the agent verified is the upstream's own: authsome minted none
    assertThat(proxy.leavesMinted()).isZero();
  }

  @Test
  void withoutTheProxyCredential_theAnswerIs407() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--proxy",
        "http://127.0.0.1:" + proxy.address().getPort(), "http://" + ROUTED + "/x");

    assertThat(r.out()).isEqualTo("407");
    assertThat(routed.seenAuthorization).isEmpty();
  }

  @Test
  void plainHttp_toARoutedHost_neverCarriesTheCredential() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    // the routed server speaks TLS, so the forwarded plain request fails there; what matters is what left the proxy
    curl("--proxy-header", "X: y", "http://" + ROUTED + ":" + routed.port() + "/x");

    assertThat(routed.seenAuthorization).isEmpty();
  }

  @Test
  void aHostHeaderOtherThanTheConnectAuthority_isRefused() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = curl("-H", "Host: " + OTHER, "-w", "%{http_code}", "-o", "/dev/null", "https://" + ROUTED + "/x");

    assertThat(r.out()).isEqualTo("421");
    assertThat(routed.seenAuthorization).isEmpty();
    assertThat(other.seenAuthorization).isEmpty();
  }

  @Test
  void denyPolicy_refusesUnroutedHostsAtConnect_withWhatToDo() throws Exception {
    startProxy(ProxyPolicy.DENY);
    Curl r = curl("-v", "https://" + OTHER + "/x");

    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("403");
    assertThat(other.seenAuthorization).isEmpty();
    Curl ok = curl("https://" + ROUTED + "/x");
    assertThat(ok.exit()).as(ok.err()).isZero();
  }

  @Test
  void aLoginMadeWhileTheProxyRuns_isUsedWithinASecond() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    curl("https://" + ROUTED + "/x");
    nextKey.set("sk-live-rotated-987654321");
    authsome.login(LoginRequest.of("proxytest").withForce(true));
    Thread.sleep(1000);
    curl("https://" + ROUTED + "/x");

    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY, "Bearer sk-live-rotated-987654321");
  }

  @Test
  void serverSentEvents_reachTheAgentBeforeTheStreamEnds() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Process p = new ProcessBuilder(curlArgs("-N", "https://" + ROUTED + "/sse")).redirectErrorStream(false)
        .start();
    long started = System.nanoTime();
    byte[] first = new byte["data: first".length()];
    int n = p.getInputStream().readNBytes(first, 0, first.length);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    routed.sseSecondEvent.countDown();
    p.waitFor(10, TimeUnit.SECONDS);

    assertThat(new String(first, 0, n, StandardCharsets.UTF_8)).isEqualTo("data: first");
    // the server sends its second event and ends the stream only once the agent has the first (or after 20 s): a
    // proxy that held the stream back would keep the agent waiting those 20 s
    assertThat(millis).as("wait for the first event, which the server sent at once").isLessThan(15_000);
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("data: second");
  }

  @Test
  void aGzipBodyEchoingTheSecret_isDecodedAndScrubbed() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    Curl r = curl("--compressed", "https://" + ROUTED + "/gzip-echo");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY);
    assertThat(r.out()).doesNotContain(KEY).contains("Bearer authsome-proxy-managed");
  }

  @Test
  void plainHttpInsideAConnect_isForwardedButNeverGivenTheCredential() throws Exception {
    startProxy(ProxyPolicy.ALLOW, Map.of(ROUTED + ":8080", new InetSocketAddress("127.0.0.1", routed.plainPort())));
    Curl r = curl("--proxytunnel", "http://" + ROUTED + ":8080/x");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("you sent: <none>");
    assertThat(routed.seenAuthorization).containsExactly("<none>");
  }

  @Test
  void proxyEvents_areAudited_countedAndWithoutSecrets() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    curl("https://" + ROUTED + "/a", "https://" + ROUTED + "/b", "https://" + ROUTED + "/c");
    curl("https://" + OTHER + "/x");
    proxy.close();
    proxy = null;

    String audit = Files.readString(dir.resolve("home").resolve("audit.log"));
    assertThat(audit).contains("\"host\":\"" + ROUTED + "\"").contains("\"proxy_miss\"").doesNotContain(KEY);
    // counts are flushed once a second, so three requests may be written as one line or split over two
    long injected = audit.lines().filter(l -> l.contains("\"event\":\"proxy_inject\""))
        .mapToLong(l -> Long.parseLong(l.replaceAll(".*\"count\":(\\d+).*", "$1"))).sum();
    assertThat(injected).isEqualTo(3);
  }

  @Test
  void theUpstreamLeg_goesThroughTheParentsOwnProxy() throws Exception {
    // a second proxy with no connections stands in for a corporate proxy: it only tunnels
    try (Authsome empty = Authsome.builder().home(dir.resolve("corp")).environment(Map.of())
        .vaultProvider(new dev.authsome.vault.memory.MemoryVaultProvider())
        .catalogue(catalogue(provider("proxytest", ROUTED))).flows(flows(new KeyFlow())).build();
        ProxyEngine corporate = ProxyEngine.start(empty, ProxyOptions.defaults().withResolve(Map.of(ROUTED + ":443",
            new InetSocketAddress("127.0.0.1", routed.port()))), warnings::add)) {
      java.net.URI parent = java.net.URI.create("http://authsome:" + corporate.credential() + "@127.0.0.1:"
          + corporate.address().getPort());
      startProxy(ProxyPolicy.ALLOW, Map.of(), new dev.authsome.proxy.UpstreamProxy(Optional.of(parent),
          Optional.of(parent), List.of()));
      Curl r = curl("https://" + ROUTED + "/x");

      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("you sent");
      assertThat(routed.seenAuthorization).containsExactly("Bearer " + KEY);
      corporate.close();
      assertThat(Files.readString(dir.resolve("corp").resolve("audit.log"))).contains("tunnelled");
    }
  }

  @Test
  void aWebSocket_getsTheCredentialInItsHandshake_thenFramesFlowBothWays() throws Exception {
    String wsHost = "ws.proxytest.test";
    try (WebSocketEchoServer ws = new WebSocketEchoServer(dir, wsHost)) {
      authsome.login(LoginRequest.of("wstest"));
      Path trust = dir.resolve("upstreams.pem");
      Files.writeString(trust, Files.readString(routed.caFile) + Files.readString(ws.caFile));
      proxy = ProxyEngine.start(authsome, ProxyOptions.defaults().withUpstreamCaFile(Optional.of(trust))
          .withResolve(Map.of(wsHost + ":443", new InetSocketAddress("127.0.0.1", ws.port()))), warnings::add);
      javax.net.ssl.SSLContext agentTls = agentTrusting(proxy.caCertificatePem());
      java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(agentTls)
          .proxy(java.net.ProxySelector.of(proxy.address()))
          .authenticator(new java.net.Authenticator() {
            @Override
            protected java.net.PasswordAuthentication getPasswordAuthentication() {
              return new java.net.PasswordAuthentication("authsome", proxy.credential().toCharArray());
            }
          }).build();
      java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
      java.net.http.WebSocket socket = client.newWebSocketBuilder()
          .header("Authorization", "Bearer authsome-proxy-managed")
          .buildAsync(java.net.URI.create("wss://" + wsHost + "/ws"), new java.net.http.WebSocket.Listener() {
            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                boolean last) {
              got.add(data.toString());
              w.request(1);
              return null;
            }
          }).get(20, TimeUnit.SECONDS);
      socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
      socket.sendText("again", true).get(10, TimeUnit.SECONDS);
      String first = got.poll(10, TimeUnit.SECONDS);
      String second = got.poll(10, TimeUnit.SECONDS);
      socket.abort();

      assertThat(ws.handshakeAuthorization).containsExactly("Bearer " + KEY);
      // the echo of the secret in a frame is not scrubbed (frames are a stream: SECURITY.md); the frames flow
      assertThat(first).endsWith(": hello");
      assertThat(second).endsWith(": again");
    }
  }

  @Test
  void aClientThatHalfClosesAfterItsRequest_stillGetsTheWholeAnswer() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.address().getPort())) {
      String auth = java.util.Base64.getEncoder().encodeToString(("authsome:" + proxy.credential())
          .getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(("GET http://" + ROUTED + ":8080/x HTTP/1.1\r\nHost: " + ROUTED
          + ":8080\r\nProxy-Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      socket.setSoTimeout(10_000);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 ").contains("you sent: <none>");
    }
  }

  @Test
  void persistentCa_survivesARestart_isRotatedOnRequest_andItsKeyIsNeverStoredInPlain() throws Exception {
    Path home = dir.resolve("file-home");
    String masterKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    try (Authsome fileVault = Authsome.builder().home(home).environment(Map.of("AUTHSOME_MASTER_KEY", masterKey))
        .vaultProvider(new dev.authsome.vault.file.FileVaultProvider())
        .catalogue(catalogue(provider("proxytest", ROUTED))).flows(flows(new KeyFlow()))
        .input(request -> Map.of("api_key", Secret.of(KEY))).build()) {
      fileVault.login(LoginRequest.of("proxytest"));
      String first;
      try (ProxyEngine p = ProxyEngine.start(fileVault, ProxyOptions.defaults().withPersistentCa(true),
          warnings::add)) {
        first = p.caCertificatePem();
      }
      try (ProxyEngine p = ProxyEngine.start(fileVault, ProxyOptions.defaults().withPersistentCa(true),
          warnings::add)) {
        assertThat(p.caCertificatePem()).isEqualTo(first);
      }
      String rotated = dev.authsome.proxy.CredentialProxy.rotatePersistentCa(fileVault);
      assertThat(rotated).isNotEqualTo(first);
      assertThat(dev.authsome.proxy.CredentialProxy.persistentCaPem(fileVault)).contains(rotated);
    }
    try (var files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString())
            .doesNotContain("PRIVATE KEY").doesNotContain("authsome proxy CA");
      }
    }
  }
}
