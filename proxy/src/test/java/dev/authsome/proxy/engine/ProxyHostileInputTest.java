package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.proxy.ProxyPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input corpus for the proxy: every case is a named, hand-written byte sequence an agent (or anything
 * else on the machine) could send to the proxy port. Each must get a clear refusal (the status and the sentence that
 * says why), must never carry the credential anywhere, must never smuggle a second request upstream, and the proxy
 * must answer a good request right after it. Complements {@link ProxyEngineTest} (one of each kind through curl) with
 * the odd cases curl would never produce.
 */
class ProxyHostileInputTest extends ProxyTestBase {
  /** One corpus entry: what is sent, and the status and words the answer must have ({@code 0}: closed unanswered). */
  record Case(String name, String request, int status, String says) {
  }

  // ------------------------------------------------------------------------------------------ plain requests

  @TestFactory
  Stream<DynamicTest> malformedRequests_getAClearRefusal_andTheProxyKeepsServing() {
    startProxy(ProxyPolicy.ALLOW);
    String auth = "Proxy-Authorization: " + basic("authsome", proxy.credential()) + "\r\n";
    String good = "http://" + ROUTED + ":8080";
    List<Case> cases = new ArrayList<>();
    // request lines a proxy should not make sense of
    String[][] lines = {
        {"one word", "HELLO"},
        {"two words", "GET " + good + "/x"},
        {"four words", "GET " + good + "/x HTTP/1.1 extra"},
        {"no target", "GET  HTTP/1.1"},
        {"unknown protocol", "GET " + good + "/x FOO/1.1"},
        {"version without minor", "GET " + good + "/x HTTP/1"},
        {"version with letters", "GET " + good + "/x HTTP/a.b"},
        {"lower-case protocol", "GET " + good + "/x http/1.1x"},
        {"nul in method", "G\0T " + good + "/x HTTP/1.1"},
        {"control char in method", "G\u0001T " + good + "/x HTTP/1.1"},
        {"method with a colon", "GE:T " + good + "/x HTTP/1.1"},
        {"only spaces", "     "},
        {"relative target", "GET /x HTTP/1.1"},
        {"asterisk target", "GET * HTTP/1.1"},
        {"OPTIONS asterisk", "OPTIONS * HTTP/1.1"},
        {"target is a bare host", "GET " + ROUTED + " HTTP/1.1"},
        {"https absolute form", "GET https://" + ROUTED + "/x HTTP/1.1"},
        {"HTTPS absolute form, upper case", "GET HTTPS://" + ROUTED + "/x HTTP/1.1"},
        {"ftp absolute form", "GET ftp://" + ROUTED + "/x HTTP/1.1"},
        {"file absolute form", "GET file:///etc/passwd HTTP/1.1"},
        {"javascript target", "GET javascript:alert(1) HTTP/1.1"},
        {"http with no host", "GET http:///x HTTP/1.1"},
        {"http with empty port", "GET http://" + ROUTED + ":/x HTTP/1.1"},
        {"http with port zero", "GET http://" + ROUTED + ":0/x HTTP/1.1"},
        {"http with port 65536", "GET http://" + ROUTED + ":65536/x HTTP/1.1"},
        {"http with negative port", "GET http://" + ROUTED + ":-1/x HTTP/1.1"},
        {"http with userinfo", "GET http://user:pw@" + ROUTED + ":8080/x HTTP/1.1"},
        {"http with unclosed IPv6", "GET http://[::1/x HTTP/1.1"},
        {"http with a space in the host", "GET http://a b/x HTTP/1.1"},
        {"http with percent in the host", "GET http://a%00b/x HTTP/1.1"},
        {"http host of 400 characters", "GET http://" + "a".repeat(400) + "/x HTTP/1.1"},
        {"request line of 9000 characters", "GET " + good + "/" + "x".repeat(9000) + " HTTP/1.1"},
        {"request line of 100000 characters", "GET " + good + "/" + "y".repeat(100_000) + " HTTP/1.1"},
    };
    for (String[] l : lines) {
      cases.add(new Case("request line: " + l[0], l[1] + "\r\n" + auth + "Host: " + ROUTED + "\r\n\r\n", 400,
          null));
    }
    // headers
    String start = "GET " + good + "/h HTTP/1.1\r\nHost: " + ROUTED + ":8080\r\n" + auth;
    String[][] headers = {
        {"header without a colon", "NoColonHere"},
        {"header with a space before the colon", "X-Bad : value"},
        {"header name with a control character", "X-B\u0001d: v"},
        {"header name with a nul", "X-B\0d: v"},

        {"one header of 40 KiB", "X-Huge: " + "h".repeat(40 * 1024)},
        {"one header of 70 KiB", "X-Huge: " + "h".repeat(70 * 1024)},
        {"a header name of 40 KiB", "X" + "n".repeat(40 * 1024) + ": v"},
    };
    for (String[] h : headers) {
      cases.add(new Case("header: " + h[0], start + h[1] + "\r\n\r\n", 400, null));
    }
    // tolerated by the HTTP rules (a proxy may unfold, a bare CR may end a line): refused or forwarded once
    String[][] tolerated = {{"obsolete line folding", "X-Folded: a\r\n  b"},
        {"3000 small headers", repeat("X-Many: v", 3000)}, {"a bare CR line ending", "X-A: a\rX-B: b"}};
    for (String[] h : tolerated) {
      cases.add(new Case("header: " + h[0], start + h[1] + "\r\n\r\n", -1, null));
    }
    // framing: conflicting or broken Content-Length and Transfer-Encoding, with a smuggled request inside
    String smuggled = "GET " + good + "/smuggled HTTP/1.1\r\nHost: " + ROUTED + ":8080\r\n" + auth + "\r\n";
    String post = "POST " + good + "/post HTTP/1.1\r\nHost: " + ROUTED + ":8080\r\n" + auth;
    String[][] framing = {
        {"two different Content-Lengths", "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"},
        {"a Content-Length list", "Content-Length: 5, 6\r\n\r\nhello!"},
        {"negative Content-Length", "Content-Length: -1\r\n\r\n"},
        {"Content-Length with letters", "Content-Length: 5a\r\n\r\nhello"},
        {"Content-Length of 20 digits", "Content-Length: 99999999999999999999\r\n\r\n"},
        {"Content-Length with a plus sign", "Content-Length: +5\r\n\r\nhello"},
        {"chunked with a Content-Length hiding a request",
            "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
        {"Content-Length after chunked hiding a request",
            "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + smuggled},
        {"gzip, chunked with a Content-Length",
            "Transfer-Encoding: gzip, chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n" + smuggled},
        {"Transfer-Encoding chunked twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "zz\r\n"},
        {"chunk size that is not hex", "Transfer-Encoding: chunked\r\n\r\nxyz\r\nabc\r\n0\r\n\r\n"},
        {"chunk size larger than a long", "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n"},
        {"chunk extension of 20 KiB", "Transfer-Encoding: chunked\r\n\r\n1;" + "e".repeat(20 * 1024)
            + "\r\na\r\n0\r\n\r\n"},
    };
    for (String[] f : framing) {
      cases.add(new Case("framing: " + f[0], post + f[1], -1, null));
    }
    // the credential: missing, wrong, or in a form that only looks right
    String plain = "GET " + good + "/c HTTP/1.1\r\nHost: " + ROUTED + ":8080\r\n";
    String[][] credentials = {
        {"none", ""},
        {"empty", "Proxy-Authorization: \r\n"},
        {"wrong password", "Proxy-Authorization: " + basic("authsome", "wrong") + "\r\n"},
        {"wrong user", "Proxy-Authorization: " + basic("root", proxy.credential()) + "\r\n"},
        {"password with a trailing character", "Proxy-Authorization: " + basic("authsome", proxy.credential() + "x")
            + "\r\n"},
        {"password prefix", "Proxy-Authorization: " + basic("authsome", proxy.credential().substring(0, 8))
            + "\r\n"},
        {"bearer scheme", "Proxy-Authorization: Bearer " + proxy.credential() + "\r\n"},
        {"basic without base64", "Proxy-Authorization: Basic authsome:" + proxy.credential() + "\r\n"},
        {"basic, broken base64", "Proxy-Authorization: Basic !!!notbase64!!!\r\n"},
        {"in Authorization instead", "Authorization: " + basic("authsome", proxy.credential()) + "\r\n"},
        {"in the URL userinfo", ""},
        {"a 20 KiB credential", "Proxy-Authorization: Basic " + "A".repeat(20 * 1024) + "\r\n"},
    };
    for (String[] c : credentials) {
      String request = c[0].equals("in the URL userinfo")
          ? "GET http://authsome:" + proxy.credential() + "@" + ROUTED + ":8080/c HTTP/1.1\r\nHost: " + ROUTED
              + ":8080\r\n\r\n"
          : plain + c[1] + "\r\n";
      cases.add(new Case("credential: " + c[0], request, 407, "proxy credential missing or wrong"));
      String connect = "CONNECT " + ROUTED + ":443 HTTP/1.1\r\nHost: " + ROUTED + ":443\r\n" + c[1] + "\r\n";
      if (!c[0].equals("in the URL userinfo")) {
        cases.add(new Case("credential on CONNECT: " + c[0], connect, 407, "proxy credential missing or wrong"));
      }
    }
    // requests addressed to the proxy itself (a web page using DNS rebinding, or a confused client)
    String[] hosts = {"evil.example", "127.0.0.1", "localhost", "attacker.test:" + proxy.address().getPort(),
        "127.0.0.1:" + proxy.address().getPort()};
    for (String h : hosts) {
      cases.add(new Case("origin-form request with Host " + h, "GET / HTTP/1.1\r\nHost: " + h + "\r\n" + auth
          + "\r\n", 400, "this is a proxy"));
      cases.add(new Case("origin-form request without credential, Host " + h, "GET /admin HTTP/1.1\r\nHost: " + h
          + "\r\n\r\n", 407, "proxy credential missing or wrong"));
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  // ------------------------------------------------------------------------------------------------ CONNECT

  @TestFactory
  Stream<DynamicTest> connectToOddTargets_isRefusedClearly_andTheProxyKeepsServing() {
    // deny policy: a target that parses but has no route is refused without any network lookup
    startProxy(ProxyPolicy.DENY);
    String auth = "Proxy-Authorization: " + basic("authsome", proxy.credential()) + "\r\n";
    List<Case> cases = new ArrayList<>();
    String[] unparsable = {"", ":443", ROUTED, ROUTED + ":", ROUTED + ":0", ROUTED + ":65536", ROUTED + ":-1",
        ROUTED + ":443:443", ROUTED + ":https", ROUTED + ":4 43", "[::1", "[::1]443", "[]:443", "user@" + ROUTED
        + ":443", ROUTED + ":443/path", "http://" + ROUTED + ":443", "*:443", "a/b:443", "a\\b:443", "a%2fb:443",
        "xn--80ak6aa92e.com\u0000:443", "\u0430pi.proxytest.test:443", "a".repeat(400) + ":443", ROUTED
        + ":0443443", ROUTED + ":99999", "[" + ROUTED + "]x:443", "a,b:443", "a;b:443", "a b:443", "a?b:443",
        "a#b:443", "'a':443", "\"a\":443", "<a>:443", "$(id):443"};
    for (String target : unparsable) {
      String shown = target.replaceAll("[^\\x20-\\x7e]", "?");
      cases.add(new Case("CONNECT to '" + shown.substring(0, Math.min(40, shown.length())) + "'", "CONNECT "
          + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + auth + "\r\n", 400, null));
    }
    // parse, but no API authsome routes lives there: refused under deny, naming the host
    String[] unrouted = {"127.0.0.1:22", "localhost:6379", "[::1]:443", "0.0.0.0:443", "169.254.169.254:80",
        "10.0.0.1:443", "api.proxytest.test.evil.example:443", "evil.example:443",
        "xn--pi-7ka.proxytest.test:443", "proxytest.test:443", "api-proxytest.test:443", "[fe80::1%25eth0]:443"};
    for (String target : unrouted) {
      cases.add(new Case("CONNECT to unrouted " + target, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target
          + "\r\n" + auth + "\r\n", 403, "proxy policy is deny"));
    }
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, ProxyPolicy.DENY)));
  }

  @TestFactory
  Stream<DynamicTest> insideARoutedTunnel_requestsForAnotherHost_areRefused_andTheCredentialStaysPut()
      throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    javax.net.ssl.SSLContext agent = agentTrusting(proxy.caCertificatePem());
    String[][] requests = {
        {"Host names another routed-looking host", "GET /x HTTP/1.1\r\nHost: " + OTHER + "\r\n\r\n"},
        {"Host with another port", "GET /x HTTP/1.1\r\nHost: " + ROUTED + ":8443\r\n\r\n"},
        {"Host with userinfo", "GET /x HTTP/1.1\r\nHost: user@" + ROUTED + "\r\n\r\n"},
        {"Host that is a suffix look-alike", "GET /x HTTP/1.1\r\nHost: " + ROUTED + ".evil.example\r\n\r\n"},
        {"Host of the loopback", "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
        {"absolute-form for another host", "GET https://" + OTHER + "/x HTTP/1.1\r\nHost: " + ROUTED + "\r\n\r\n"},
        {"absolute-form http for the same host", "GET http://" + ROUTED + ":80/x HTTP/1.1\r\nHost: " + ROUTED
            + "\r\n\r\n"},
        {"second request on the connection for another host", "GET /first HTTP/1.1\r\nHost: " + ROUTED
            + "\r\n\r\nGET /second HTTP/1.1\r\nHost: " + OTHER + "\r\n\r\n"},
        {"two Host headers", "GET /x HTTP/1.1\r\nHost: " + ROUTED + "\r\nHost: " + OTHER + "\r\n\r\n"},
        {"Host with a trailing garbage", "GET /x HTTP/1.1\r\nHost: " + ROUTED + "/evil\r\n\r\n"},
    };
    List<DynamicTest> tests = new ArrayList<>();
    for (String[] r : requests) {
      tests.add(DynamicTest.dynamicTest(r[0], () -> {
        int before = routed.seenAuthorization.size();
        String answer = throughTunnel(agent, ROUTED, r[1]);
        // every answer the agent gets for a foreign host is the proxy's 421, and nothing of it reached a server
        // with the credential, except the one legitimate first request of the pipelined case
        if (r[0].equals("two Host headers")) {
          assertThat(answer).startsWith("HTTP/1.1 400").contains("more than one Host header");
        } else {
          assertThat(answer).as(r[0]).contains("421").contains("does not match the CONNECT authority");
        }
        List<String> reached = routed.seenAuthorization.subList(before, routed.seenAuthorization.size());
        assertThat(reached).hasSizeLessThanOrEqualTo(r[0].startsWith("second request") ? 1 : 0);
        assertThat(other.seenAuthorization).isEmpty();
        assertThat(answer).doesNotContain(KEY);
        assertStillServing();
      }));
    }
    tests.add(DynamicTest.dynamicTest("TLS server name of another host after CONNECT to a routed one", () -> {
      assertThat(handshakeFails(agent, ROUTED, OTHER)).isTrue();
      assertThat(handshakeFails(agent, ROUTED, "evil.example")).isTrue();
      assertThat(other.seenAuthorization).isEmpty();
      assertStillServing();
    }));
    return tests.stream();
  }

  @org.junit.jupiter.api.Test
  void theProxy_listensOnLoopbackOnly_andRefusesEveryOtherAddressOfTheMachine() throws Exception {
    startProxy(ProxyPolicy.ALLOW);
    int port = proxy.address().getPort();
    assertThat(proxy.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(listensBeyondLoopback(port)).as("a listener beyond 127.0.0.1 in /proc/net/tcp*").isFalse();
    var others = otherAddresses();
    if (others.isEmpty()) {
      System.out.println("NOTE: this machine has no address but loopback; only /proc/net/tcp was checked");
    }
    for (java.net.InetAddress a : others) {
      try (Socket s = new Socket()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(a, port),
            5000)).as("connect to %s:%d", a, port).isInstanceOf(IOException.class);
      }
    }
    assertStillServing();
  }

  /**
   * The addresses of this machine other than loopback; a listener bound to loopback only must refuse all of them.
   */
  static java.util.List<java.net.InetAddress> otherAddresses() throws java.net.SocketException {
    java.util.List<java.net.InetAddress> out = new java.util.ArrayList<>();
    for (java.net.NetworkInterface nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      for (java.net.InetAddress a : java.util.Collections.list(nif.getInetAddresses())) {
        if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          out.add(a);
        }
      }
    }
    return out;
  }

  /** Whether the kernel lists a TCP listener on {@code port} bound to an address other than 127.0.0.1. */
  static boolean listensBeyondLoopback(int port) throws java.io.IOException {
    String hexPort = String.format(":%04X ", port);
    for (String table : java.util.List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      java.nio.file.Path p = java.nio.file.Path.of(table);
      if (!java.nio.file.Files.exists(p)) {
        continue;
      }
      for (String line : java.nio.file.Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        // local_address is field 1 (ADDR:PORT in hex), state 0A is LISTEN
        // 127.0.0.1 in tcp, or in tcp6 as the IPv4-mapped ::ffff:127.0.0.1 (a dual-stack JVM socket)
        boolean loopback = f.length > 1 && (f[1].startsWith("0100007F:")
            || f[1].startsWith("0000000000000000FFFF00000100007F:"));
        if (f.length > 3 && (f[1] + " ").endsWith(hexPort) && f[3].equals("0A") && !loopback) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private void check(Case c) throws IOException {
    check(c, ProxyPolicy.ALLOW);
  }

  private void check(Case c, ProxyPolicy policy) throws IOException {
    int beforeRouted = routed.seenRequests.size();
    Answer a = exchange(c.request());
    if (c.status() == -1) {
      // framing cases: refused (4xx) or, where the HTTP rules allow a reading, forwarded once, never twice
      assertThat(a.status()).as(c.name() + ": " + a).isIn(0, 200, 400, 411, 413, 431, 501);
    } else {
      assertThat(a.status()).as(c.name() + ": " + a).isEqualTo(c.status());
      assertThat(a.body()).as(c.name()).startsWith("authsome proxy: ");
      if (c.says() != null) {
        assertThat(a.body()).as(c.name()).contains(c.says());
      }
      assertThat(a.body().strip()).as("one line").doesNotContain("\n");
    }
    List<String> reached = routed.seenRequests.subList(beforeRouted, routed.seenRequests.size());
    assertThat(reached).as(c.name()).noneMatch(r -> r.contains("smuggled"));
    assertThat(reached).as(c.name()).hasSizeLessThanOrEqualTo(1);
    assertThat(routed.seenAuthorization).as("never a credential over plain http").noneMatch(s -> s.contains(KEY));
    assertThat(a.raw()).doesNotContain(KEY);
    if (policy == ProxyPolicy.DENY) {
      // under deny, plain http is refused; a CONNECT to the routed host is what still works
      Answer ok = exchange("CONNECT " + ROUTED + ":443 HTTP/1.1\r\nHost: " + ROUTED + ":443\r\nProxy-Authorization: "
          + basic("authsome", proxy.credential()) + "\r\n\r\n");
      assertThat(ok.status()).as("a good CONNECT after the bad one: " + ok).isEqualTo(200);
    } else {
      assertStillServing();
    }
  }

  /** A good plain request through the proxy still gets through. */
  private void assertStillServing() throws IOException {
    Answer ok = exchange("GET http://" + ROUTED + ":8080/still-serving HTTP/1.1\r\nHost: " + ROUTED + ":8080\r\n"
        + "Proxy-Authorization: " + basic("authsome", proxy.credential()) + "\r\nConnection: close\r\n\r\n");
    assertThat(ok.status()).as("a good request after the bad one: " + ok).isEqualTo(200);
  }

  record Answer(int status, String body, String raw) {
    @Override
    public String toString() {
      return raw.length() > 300 ? raw.substring(0, 300) + "..." : raw;
    }
  }

  /** Sends the bytes, then reads one response (or the close that stands for none). */
  Answer exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", proxy.address().getPort())) {
      s.setSoTimeout(30_000); // a safety limit against a hang, not an assertion on time
      OutputStream out = s.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        s.shutdownOutput(); // nothing more is coming: a head cut short is not waited for
      } catch (IOException e) {
        // the proxy may close on an oversized head before reading all of it; what it answered is still there
      }
      return readAnswer(s.getInputStream());
    }
  }

  static Answer readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int headEnd = -1;
    int length = -1;
    byte[] chunk = new byte[8192];
    while (true) {
      int n;
      try {
        n = in.read(chunk);
      } catch (java.net.SocketException e) {
        n = -1; // reset after the answer: the proxy closed without reading the rest
      }
      if (n < 0) {
        break;
      }
      buf.write(chunk, 0, n);
      String text = buf.toString(StandardCharsets.ISO_8859_1);
      if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
        var m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0,
            headEnd));
        length = m.find() ? Integer.parseInt(m.group(1)) : -1;
      }
      if (headEnd >= 0 && (length < 0 || buf.size() >= headEnd + 4 + length)) {
        // no Content-Length: the answer to a CONNECT, which has no body
        break;
      }
    }
    String raw = buf.toString(StandardCharsets.UTF_8);
    if (!raw.startsWith("HTTP/1.1 ")) {
      return new Answer(0, "", raw);
    }
    int status = Integer.parseInt(raw.substring(9, 12));
    String body = headEnd < 0 ? "" : raw.substring(Math.min(raw.length(), raw.indexOf("\r\n\r\n") + 4));
    return new Answer(status, body, raw);
  }

  private String throughTunnel(javax.net.ssl.SSLContext agent, String host, String requests) throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.address().getPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\nProxy-Authorization: "
          + basic("authsome", proxy.credential()) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      Answer established = readAnswer(s.getInputStream());
      assertThat(established.status()).as(established.toString()).isEqualTo(200);
      try (SSLSocket tls = (SSLSocket) agent.getSocketFactory().createSocket(s, host, 443, false)) {
        tls.startHandshake();
        tls.getOutputStream().write(requests.getBytes(StandardCharsets.UTF_8));
        tls.getOutputStream().flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
          tls.getInputStream().transferTo(all);
        } catch (IOException e) {
          // closed by the proxy after its refusal
        }
        return all.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private boolean handshakeFails(javax.net.ssl.SSLContext agent, String connectTo, String sni) throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.address().getPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("CONNECT " + connectTo + ":443 HTTP/1.1\r\nHost: " + connectTo
          + ":443\r\nProxy-Authorization: " + basic("authsome", proxy.credential()) + "\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      assertThat(readAnswer(s.getInputStream()).status()).isEqualTo(200);
      try (SSLSocket tls = (SSLSocket) agent.getSocketFactory().createSocket(s, sni, 443, false)) {
        javax.net.ssl.SSLParameters params = tls.getSSLParameters();
        params.setServerNames(List.of(new javax.net.ssl.SNIHostName(sni)));
        tls.setSSLParameters(params);
        tls.startHandshake();
        return false;
      } catch (IOException e) {
        return true;
      }
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String repeat(String line, int times) {
    return String.join("\r\n", java.util.Collections.nCopies(times, line));
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
