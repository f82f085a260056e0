package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback server, spoken to over real sockets the way a browser (or an attacker's page) would. */
class LoopbackServerTest {
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

  @Test
  void callback_withTheLoginsState_completesWithTheCode() throws Exception {
    State state = new State("s-123");
    var pending = server.expectAuthorization(state, Optional.empty(), false);

    Response r = get("/auth/callback/oauth?code=abc&state=s-123", host());

    assertThat(r.status).isEqualTo(200);
    AuthorizationSuccessResponse response = pending.await(Duration.ofSeconds(5));
    assertThat(response.getAuthorizationCode().getValue()).isEqualTo("abc");
  }

  @Test
  void callback_withForgedState_isRejectedAndTheLoginKeepsWaitingForTheRealOne() throws Exception {
    var pending = server.expectAuthorization(new State("real"), Optional.empty(), false);

    Response forged = get("/auth/callback/oauth?code=evil&state=forged", host());
    Response real = get("/auth/callback/oauth?code=good&state=real", host());

    assertThat(forged.status).isEqualTo(400);
    assertThat(forged.body).contains("state mismatch");
    assertThat(real.status).isEqualTo(200);
    assertThat(pending.await(Duration.ofSeconds(5)).getAuthorizationCode().getValue()).isEqualTo("good");
    assertThat(progress.toString()).contains("state does not match");
  }

  @Test
  void callback_fromAnotherIssuer_failsTheLogin() throws Exception {
    var pending = server.expectAuthorization(new State("s"), Optional.of(new Issuer("https://as.example")), true);

    Response r = get("/auth/callback/oauth?code=c&state=s&iss=" + enc("https://evil.example"), host());

    assertThat(r.status).isEqualTo(400);
    assertThatThrownBy(() -> pending.await(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("https://evil.example").contains("RFC 9207");
        });
  }

  @Test
  void callback_withoutIssFromAServerThatAdvertisesIt_failsTheLogin() throws Exception {
    var pending = server.expectAuthorization(new State("s"), Optional.of(new Issuer("https://as.example")), true);

    get("/auth/callback/oauth?code=c&state=s", host());

    assertThatThrownBy(() -> pending.await(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
  }

  @Test
  void callback_withTheRightIss_isAccepted() throws Exception {
    var pending = server.expectAuthorization(new State("s"), Optional.of(new Issuer("https://as.example")), true);

    get("/auth/callback/oauth?code=c&state=s&iss=" + enc("https://as.example"), host());

    assertThat(pending.await(Duration.ofSeconds(5)).getAuthorizationCode().getValue()).isEqualTo("c");
  }

  @Test
  void callback_withAccessDenied_failsWithAuthenticationFailed() throws Exception {
    var pending = server.expectAuthorization(new State("s"), Optional.empty(), false);

    Response r = get("/auth/callback/oauth?error=access_denied&error_description=" + enc("<b>no</b>") + "&state=s",
        host());

    assertThat(r.status).isEqualTo(400);
    assertThat(r.body).contains("&lt;b&gt;no&lt;/b&gt;").doesNotContain("<b>no</b>");
    assertThatThrownBy(() -> pending.await(Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("access_denied");
        });
  }

  @Test
  void anyRequest_withAForeignHostHeader_isRefused() throws Exception {
    var pending = server.expectAuthorization(new State("s"), Optional.empty(), false);

    Response rebound = get("/auth/callback/oauth?code=c&state=s", "attacker.example:" + server.port());
    Response otherPort = get("/auth/callback/oauth?code=c&state=s", "127.0.0.1:1");

    assertThat(rebound.status).isEqualTo(421);
    assertThat(otherPort.status).isEqualTo(421);
    assertThat(get("/auth/callback/oauth?code=c&state=s", "localhost:" + server.port()).status).isEqualTo(200);
    assertThat(pending.await(Duration.ofSeconds(5)).getAuthorizationCode().getValue()).isEqualTo("c");
  }

  @Test
  void await_withoutAnyCallback_isCancelledAfterTheTimeout() {
    var pending = server.expectAuthorization(new State("s"), Optional.empty(), false);

    assertThatThrownBy(() -> pending.await(Duration.ofMillis(200)))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CANCELLED);
          assertThat(e.getMessage()).contains("--timeout");
        });
  }

  @Test
  void start_onATakenPort_failsWithPortInUseNamingThePortAndTheVariable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> LoopbackServer.start(port, new PrintWriter(progress)))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE);
            assertThat(e.code().exitCode()).isEqualTo(9);
            assertThat(e.getMessage()).contains(Integer.toString(port)).contains("AUTHSOME_CALLBACK_PORT");
          });
    }
  }

  private InputRequest request() {
    return new InputRequest("acme", "Acme <OAuth> client", "https://docs.acme.example/oauth?a=1&b=2", List.of(
        InputField.hint("redirect_uri", "Redirect URI", "http://127.0.0.1:7998/auth/callback/oauth"),
        InputField.text("client_id", "Client ID", true, null),
        InputField.secret("client_secret", "Client secret", false),
        InputField.text("scopes", "Scopes", false, "read \"write\"")));
  }

  @Test
  void form_rendersEscapedFieldsPasswordInputsCopyButtonAndDocsLink() throws Exception {
    var form = server.openForm(request());

    Response page = get(form.url().getRawPath(), host());

    assertThat(page.status).isEqualTo(200);
    assertThat(page.body)
        .contains("Acme &lt;OAuth&gt; client")
        .contains("type=\"password\"")
        .contains("name=\"client_secret\"")
        .contains("value=\"http://127.0.0.1:7998/auth/callback/oauth\"")
        .contains("Copy</button>")
        .contains("href=\"https://docs.acme.example/oauth?a=1&amp;b=2\"")
        .contains("value=\"read &quot;write&quot;\"")
        .contains("name=\"csrf_token\"");
    assertThat(page.headers).containsIgnoringCase("content-security-policy");
  }

  @Test
  void form_postedWithItsCsrfToken_returnsTheValuesOnce() throws Exception {
    var form = server.openForm(request());
    CompletableFuture<Map<String, Secret>> values = CompletableFuture.supplyAsync(
        () -> form.await(Duration.ofSeconds(10)));
    String csrf = csrf(get(form.url().getRawPath(), host()).body);

    Response ok = post(form.url().getRawPath(), "csrf_token=" + enc(csrf) + "&client_id=cid&client_secret=s3cr3t"
        + "&scopes=read");
    Response replay = post(form.url().getRawPath(), "csrf_token=" + enc(csrf) + "&client_id=other");

    assertThat(ok.status).isEqualTo(200);
    assertThat(ok.body).doesNotContain("s3cr3t");
    Map<String, Secret> result = values.get(10, TimeUnit.SECONDS);
    assertThat(result.get("client_id").reveal()).isEqualTo("cid");
    assertThat(result.get("client_secret").reveal()).isEqualTo("s3cr3t");
    assertThat(replay.status).isEqualTo(404);
  }

  @Test
  void form_postedWithoutTheCsrfToken_isForbiddenAndStaysOpen() throws Exception {
    var form = server.openForm(request());

    Response noToken = post(form.url().getRawPath(), "client_id=cid");
    Response wrongToken = post(form.url().getRawPath(), "csrf_token=guess&client_id=cid");
    Response foreignOrigin = post(form.url().getRawPath(), "client_id=cid", "http://evil.example");

    assertThat(noToken.status).isEqualTo(403);
    assertThat(wrongToken.status).isEqualTo(403);
    assertThat(foreignOrigin.status).isEqualTo(403);
    assertThat(get(form.url().getRawPath(), host()).status).isEqualTo(200);
  }

  @Test
  void form_missingARequiredField_isShownAgainWithoutTheSecret() throws Exception {
    var form = server.openForm(request());
    String csrf = csrf(get(form.url().getRawPath(), host()).body);

    Response r = post(form.url().getRawPath(), "csrf_token=" + enc(csrf) + "&client_secret=typed-secret");

    assertThat(r.status).isEqualTo(400);
    assertThat(r.body).contains("Client ID is required").doesNotContain("typed-secret");
  }

  @Test
  void form_cancelled_isInputCancelled() throws Exception {
    var form = server.openForm(request());
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        form.await(Duration.ofSeconds(10));
        return null;
      } catch (AuthsomeException e) {
        return e;
      }
    });
    String csrf = csrf(get(form.url().getRawPath(), host()).body);

    post(form.url().getRawPath(), "csrf_token=" + enc(csrf) + "&action=cancel");

    assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(AuthsomeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CANCELLED));
  }

  // ------------------------------------------------------------------------------------------------------------

  private String host() {
    return "127.0.0.1:" + server.port();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String csrf(String html) {
    Matcher m = Pattern.compile("name=\"csrf_token\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf token in form").isTrue();
    return m.group(1);
  }

  record Response(int status, String headers, String body) {
  }

  private Response get(String path, String hostHeader) throws IOException {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n");
  }

  private Response post(String path, String body) throws IOException {
    return post(path, body, null);
  }

  private Response post(String path, String body, String origin) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return exchange("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n")
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
  }

  /** A raw HTTP/1.1 exchange: the JDK clients refuse to send a foreign Host header. */
  private Response exchange(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      String raw = buf.toString(StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String head = split < 0 ? raw : raw.substring(0, split);
      String body = split < 0 ? "" : raw.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Response(status, head, body);
    }
  }

  @Test
  void bindFailure_onlyAddressInUse_isReportedAsPortInUse() throws IOException {
    // a real EADDRINUSE from the JDK
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> LoopbackServer.start(taken.getLocalPort(), new PrintWriter(new StringWriter())))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE));
    }
    // the JDK's messages for EACCES and EADDRNOTAVAIL (root binds any port, so these are not reproducible here)
    AuthsomeException denied = LoopbackServer.bindFailure(80, new java.net.BindException("Permission denied"));
    assertThat(denied.code()).isEqualTo(ErrorCode.USAGE);
    assertThat(denied.getMessage()).contains("127.0.0.1:80").contains("AUTHSOME_CALLBACK_PORT")
        .doesNotContain("in use");
    AuthsomeException noLoopback = LoopbackServer.bindFailure(7998,
        new java.net.BindException("Cannot assign requested address"));
    assertThat(noLoopback.code()).isEqualTo(ErrorCode.UNEXPECTED);
    assertThat(noLoopback.getMessage()).contains("loopback address 127.0.0.1").doesNotContain("in use");
  }
}
