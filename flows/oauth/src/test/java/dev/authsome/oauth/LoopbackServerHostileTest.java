package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.id.State;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input corpus for the loopback server on {@code 127.0.0.1:7998}: named requests that a web page in the
 * user's browser (DNS rebinding, cross-site form posts, forged redirects) or a local process could send. Each gets a
 * refusal with its status and a page that says why; no injected markup is echoed unescaped and no control character
 * reaches the terminal; and after each, the login waiting on the server still completes with the genuine callback
 * or form.
 */
class LoopbackServerHostileTest {
  private static final String STATE = "genuine-state-Zq81";
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f\\x9b]");
  private final StringWriter progress = new StringWriter();
  private LoopbackServer server;

  @BeforeEach
  void start() {
    server = LoopbackServer.start(0, new PrintWriter(progress, true));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Case(String name, String request, int status, String says) {
  }

  @TestFactory
  Stream<DynamicTest> hostileCallbacks_areRefused_andTheRealLoginStillCompletes() {
    String host = "Host: 127.0.0.1:" + server.port() + "\r\n";
    List<Case> cases = new ArrayList<>();
    String[][] queries = {
        {"no query", ""},
        {"code without state", "?code=abc"},
        {"empty state", "?code=abc&state="},
        {"forged state", "?code=abc&state=forged"},
        {"state in other case", "?code=abc&state=" + STATE.toUpperCase(java.util.Locale.ROOT)},
        {"state with a suffix", "?code=abc&state=" + STATE + "x"},
        {"state prefix", "?code=abc&state=" + STATE.substring(0, 6)},
        // (a state with a trailing space or NUL is trimmed by the parser and accepted: it is still the genuine one)
        {"state of 60 KiB", "?code=abc&state=" + "s".repeat(60 * 1024)},
        {"forged state then the real one", "?code=abc&state=forged&state=" + STATE},
        {"error with forged state", "?error=access_denied&state=forged"},
        {"script in error with forged state", "?error=%3Cscript%3Ealert(1)%3C/script%3E&state=forged"},
        {"broken percent escapes", "?code=%zz&state=%"},
        {"only ampersands", "?&&&&"},
        {"equals signs only", "?===="},
        {"unicode state", "?code=abc&state=%E2%98%83"},
        {"semicolon separators", "?code=abc;state=" + STATE},
        {"code and state in the fragment", "#code=abc&state=" + STATE},
    };
    for (String[] q : queries) {
      cases.add(new Case("callback: " + q[0], "GET " + LoopbackServer.CALLBACK_PATH + q[1] + " HTTP/1.1\r\n" + host
          + "Connection: close\r\n\r\n", 400, null));
    }
    String genuine = LoopbackServer.CALLBACK_PATH + "?code=abc&state=" + STATE;
    String[] foreignHosts = {"evil.example", "evil.example:" + server.port(), "127.0.0.1", "127.0.0.1:1",
        "localhost", "localhost.:" + server.port(), "127.0.0.1.nip.io:" + server.port(), "0.0.0.0:" + server.port(),
        "[::1]:" + server.port(), "127.1:" + server.port(), "2130706433:" + server.port(), "127.0.0.1:" + server.port()
        + "@evil.example", "evil.example#127.0.0.1:" + server.port(), "127.0.0.1:0" + server.port(), ""};
    for (String h : foreignHosts) {
      cases.add(new Case("Host '" + h + "'", "GET " + genuine + " HTTP/1.1\r\nHost: " + h + "\r\nConnection: close"
          + "\r\n\r\n", 421, "Wrong address"));
    }
    cases.add(new Case("no Host header", "GET " + genuine + " HTTP/1.1\r\nConnection: close\r\n\r\n", 421,
        "Wrong address"));
    cases.add(new Case("HTTP/1.0 without Host", "GET " + genuine + " HTTP/1.0\r\n\r\n", 421, "Wrong address"));
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
      cases.add(new Case(method + " to the callback", method + " " + genuine + " HTTP/1.1\r\n" + host
          + "Content-Length: 0\r\nConnection: close\r\n\r\n", 405, "accepts GET only"));
    }
    String[] paths = {LoopbackServer.CALLBACK_PATH + ";state=" + STATE + "?code=abc", "/", "/auth", "/auth/callback", LoopbackServer.CALLBACK_PATH + "/extra?code=abc&state="
        + STATE, "/AUTH/CALLBACK/OAUTH?code=abc&state=" + STATE, "/auth/form/", "/auth/form/guessed-id",
        "/auth/form/../callback/oauth?code=abc&state=" + STATE, "/auth/form/%3Cscript%3E", "/../../etc/passwd",
        "/favicon.ico", "/%2e%2e/%2e%2e/etc/passwd"};
    for (String p : paths) {
      cases.add(new Case("path " + p.replaceAll("\\?.*", ""), "GET " + p + " HTTP/1.1\r\n" + host + "Connection: "
          + "close\r\n\r\n", 404, null));
    }
    cases.add(new Case("a 2 MiB body on the callback", "GET " + genuine.replace(STATE, "forged") + " HTTP/1.1\r\n"
        + host + "Content-Length: " + (2 << 20) + "\r\nConnection: close\r\n\r\n" + "b".repeat(2 << 20), 400, null));

    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases) {
      tests.add(DynamicTest.dynamicTest(c.name(), () -> {
        var pending = server.expectAuthorization(new State(STATE), Optional.empty(), false);
        Response r = exchange(c.request());
        assertThat(r.status).as(c.name() + "\n" + r.head).isIn(c.status(), 0);
        if (r.status != 0) {
          assertThat(r.status).as(c.name()).isEqualTo(c.status());
          if (c.says() != null) {
            assertThat(r.body).contains(c.says());
          }
          assertSafePage(r);
        }
        assertThat(CONTROL.matcher(progress.toString()).find()).as("control characters on the terminal").isFalse();
        // the login that was waiting still completes with the genuine callback
        assertThat(exchange("GET " + genuine + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n").status)
            .isEqualTo(200);
        assertThat(pending.await(Duration.ofSeconds(10)).getAuthorizationCode().getValue()).isEqualTo("abc");
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> injectedErrorParameters_areEscapedOnThePage_andCleanOnTheTerminal() {
    String[] payloads = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
        "</title><script>x</script>", "<svg/onload=alert(1)>", "';alert(1);//", "{{7*7}}${7*7}",
        "\u001b]0;owned\u0007\u001b[2J", "line one\r\nline two", "\u009b31mred", "\u202eevil-rtl",
        "%3Cscript%3E", "<iframe src=https://evil.example>", "<a href=\"https://evil.example\">click</a>",
        "x".repeat(5000)};
    List<DynamicTest> tests = new ArrayList<>();
    for (String where : List.of("error", "error_description", "error_uri")) {
      for (int i = 0; i < payloads.length; i++) {
        String payload = payloads[i];
        tests.add(DynamicTest.dynamicTest(where + " = payload " + i, () -> {
          String state = "s" + System.nanoTime();
          var pending = server.expectAuthorization(new State(state), Optional.empty(), false);
          String query = (where.equals("error") ? "" : "error=access_denied&") + where + "=" + enc(payload)
              + "&state=" + state;
          Response r = get(LoopbackServer.CALLBACK_PATH + "?" + query);
          assertThat(r.status).isEqualTo(400);
          assertSafePage(r);
          assertThat(r.body).doesNotContain("<script>", "<img", "<svg", "<iframe", "<a href=\"https://evil");
          if (r.body.contains("refused the authorization")) {
            assertThatThrownBy(() -> pending.await(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(AuthsomeException.class, e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
                  assertThat(CONTROL.matcher(e.getMessage()).find()).as("control characters in: " + e.getMessage())
                      .isFalse();
                  assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u202e");
                  assertThat(e.getMessage().length()).as("the message stays readable").isLessThan(1000);
                });
          }
          assertThat(CONTROL.matcher(progress.toString()).find()).as("control characters on the terminal").isFalse();
        }));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> hostileFormPosts_areRefused_andTheFormStillWorks() throws Exception {
    var form = server.openForm(new InputRequest("acme", "Acme", null, List.of(
        InputField.text("client_id", "Client ID", true, null),
        InputField.secret("client_secret", "Client secret", false))));
    var other = server.openForm(new InputRequest("other", "Other", null, List.of(
        InputField.text("client_id", "Client ID", true, null))));
    String path = form.url().getRawPath();
    String csrf = csrf(get(path).body);
    String otherCsrf = csrf(get(other.url().getRawPath()).body);
    CompletableFuture<Map<String, Secret>> values = CompletableFuture.supplyAsync(
        () -> form.await(Duration.ofSeconds(120)));
    List<Case> cases = new ArrayList<>();
    String[][] bodies = {
        {"no token", "client_id=cid", "403"},
        {"empty token", "csrf_token=&client_id=cid", "403"},
        {"guessed token", "csrf_token=guess&client_id=cid", "403"},
        {"token of the other form", "csrf_token=" + enc(otherCsrf) + "&client_id=cid", "403"},
        {"token prefix", "csrf_token=" + enc(csrf.substring(0, 10)) + "&client_id=cid", "403"},
        {"token in upper case", "csrf_token=" + enc(csrf.toUpperCase(java.util.Locale.ROOT)) + "&client_id=cid",
            "403"},
        {"token with a suffix", "csrf_token=" + enc(csrf) + "x&client_id=cid", "403"},
        {"wrong token first, right one second", "csrf_token=guess&csrf_token=" + enc(csrf) + "&client_id=cid",
            "403"},
        {"token of 60 KiB", "csrf_token=" + "t".repeat(60 * 1024) + "&client_id=cid", "403"},
        {"right token, required field missing", "csrf_token=" + enc(csrf), "400"},
        {"right token, script in the field", "csrf_token=" + enc(csrf) + "&client_id=&client_secret="
            + enc("<script>alert(1)</script>"), "400"},
    };
    for (String[] b : bodies) {
      cases.add(new Case("form: " + b[0], post(path, b[1], null), Integer.parseInt(b[2]), null));
    }
    String[] origins = {"http://evil.example", "https://evil.example", "http://127.0.0.1:" + server.port()
        + ".evil.example", "http://localhost", "http://127.0.0.1:1", "file://", "http://evil.example/http://127.0.0.1:"
        + server.port()};
    for (String origin : origins) {
      cases.add(new Case("form from Origin " + origin, post(path, "csrf_token=" + enc(csrf) + "&client_id=cid",
          origin), 403, "another site"));
    }
    cases.add(new Case("form body over 64 KiB", post(path, "csrf_token=" + enc(csrf) + "&client_id="
        + "c".repeat(70 * 1024), null), 413, "too large"));
    cases.add(new Case("form body of 1 MiB, chunked", "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:"
        + server.port() + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n100000\r\n"
        + "z".repeat(1 << 20) + "\r\n0\r\n\r\n", 413, "too large"));
    cases.add(new Case("form with a foreign Host", post(path, "csrf_token=" + enc(csrf) + "&client_id=cid", null)
        .replace("Host: 127.0.0.1:" + server.port(), "Host: evil.example"), 421, "Wrong address"));
    cases.add(new Case("PUT to the form", post(path, "csrf_token=" + enc(csrf) + "&client_id=cid", null)
        .replaceFirst("POST", "PUT"), 405, null));
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases) {
      tests.add(DynamicTest.dynamicTest(c.name(), () -> {
        Response r = exchange(c.request());
        assertThat(r.status).as(c.name() + "\n" + r.head + "\n" + r.body).isEqualTo(c.status());
        if (c.says() != null) {
          assertThat(r.body).containsIgnoringCase(c.says());
        }
        assertSafePage(r);
        assertThat(r.body).doesNotContain("<script>alert");
        assertThat(values).as("no hostile post completes the form").isNotDone();
        assertThat(get(path).status).as("the form is still open").isEqualTo(200);
      }));
    }
    tests.add(DynamicTest.dynamicTest("the genuine submission still completes the form", () -> {
      Response ok = exchange(post(path, "csrf_token=" + enc(csrf) + "&client_id=cid&client_secret=s3cret", null));
      assertThat(ok.status).isEqualTo(200);
      assertThat(values.get(10, TimeUnit.SECONDS).get("client_secret").reveal()).isEqualTo("s3cret");
    }));
    return tests.stream();
  }

  @org.junit.jupiter.api.Test
  void theServer_listensOnLoopbackOnly_andRefusesEveryOtherAddressOfTheMachine() throws Exception {
    assertThat(listensBeyondLoopback(server.port())).as("a listener beyond 127.0.0.1 in /proc/net/tcp*").isFalse();
    var others = otherAddresses();
    if (others.isEmpty()) {
      System.out.println("NOTE: this machine has no address but loopback; only /proc/net/tcp was checked");
    }
    for (java.net.InetAddress a : others) {
      try (Socket s = new Socket()) {
        assertThatThrownBy(() -> s.connect(new java.net.InetSocketAddress(a, server.port()), 5000))
            .as("connect to %s:%d", a, server.port()).isInstanceOf(IOException.class);
      }
    }
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

  // ------------------------------------------------------------------------------------------------------------

  /** Every page the server answers is locked down: no script runs, no framing, no referrer carrying the code. */
  private static void assertSafePage(Response r) {
    String head = r.head.toLowerCase(java.util.Locale.ROOT);
    if (r.status == 400 && !head.contains("content-security-policy") && r.body.contains("Bad Request")) {
      return; // refused by the JDK's HTTP parser before authsome's handler saw it (a request line too long)
    }
    assertThat(head).contains("content-security-policy: default-src 'none'").contains("x-frame-options: deny")
        .contains("referrer-policy: no-referrer").contains("cache-control: no-store");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf token in form").isTrue();
    return m.group(1);
  }

  record Response(int status, String head, String body) {
  }

  private Response get(String path) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n\r\n");
  }

  private String post(String path, String body, String origin) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
  }

  /** A raw exchange; status 0 when the server closed the connection without an answer. */
  private Response exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000); // a safety limit against a hang, not an assertion on time
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // closed before reading everything (an oversized request): the answer, if any, is still readable
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(buf);
      } catch (java.net.SocketException e) {
        // reset after the answer
      }
      String raw = buf.toString(StandardCharsets.UTF_8);
      if (!raw.startsWith("HTTP/1.1 ")) {
        return new Response(0, raw, "");
      }
      int split = raw.indexOf("\r\n\r\n");
      String head = split < 0 ? raw : raw.substring(0, split);
      String body = split < 0 ? "" : raw.substring(split + 4);
      return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }
}
