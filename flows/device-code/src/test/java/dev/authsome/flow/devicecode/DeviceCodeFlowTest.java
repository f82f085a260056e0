package dev.authsome.flow.devicecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device_code flow against a real authorization server; the approval happens in a second process (the headless
 * approver opening {@code verification_uri_complete}), as it would on a phone.
 */
class DeviceCodeFlowTest {
  private static final Pattern COMPLETE_URI = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/device\\?user_code=\\S+)");
  private static OidcServer server;

  @TempDir
  Path tmp;

  @BeforeAll
  static void startServer() {
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private TestFlowContext context() {
    return new TestFlowContext(server.discoveredProvider("devidp", "device_code", List.of("openid", "email")))
        .option("client_id", OidcServer.PUBLIC_CLIENT)
        .input(request -> Map.of());
  }

  private static String awaitVerificationUri(TestFlowContext context) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Matcher m = COMPLETE_URI.matcher(context.progressText());
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no verification_uri_complete printed: " + context.progressText());
  }

  @Test
  void login_approvedOnAnotherDevice_connectsWithPublicClient() throws Exception {
    TestFlowContext context = context();
    CompletableFuture<FlowResult> login = CompletableFuture.supplyAsync(() -> new DeviceCodeFlow().login(context));

    String uri = awaitVerificationUri(context);
    OidcServer.approve(uri, tmp.resolve("approver.log"), "--login erin");
    FlowResult result = login.get(120, TimeUnit.SECONDS);

    assertThat(result.connection().status()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(result.connection().flow()).isEqualTo("device_code");
    assertThat(result.connection().account().id()).isEqualTo("erin");
    assertThat(server.active(result.connection().accessToken())).isTrue();
    assertThat(context.progressText())
        .contains("/device")
        .contains("enter the code: ")
        .contains("Waiting for approval... code expires in ");
  }

  @Test
  void theGrant_refreshesWithRotation_andIsRevoked_asThePublicClientItWasIssuedTo() throws Exception {
    TestFlowContext context = context();
    CompletableFuture<FlowResult> login = CompletableFuture.supplyAsync(() -> new DeviceCodeFlow().login(context));
    OidcServer.approve(awaitVerificationUri(context), tmp.resolve("approver.log"), "--login erin");
    FlowResult result = login.get(120, TimeUnit.SECONDS);
    ConnectionRecord first = result.connection();
    assertThat(first.clientId()).isEqualTo(OidcServer.PUBLIC_CLIENT);
    assertThat(first.refreshToken()).isNotBlank();
    // what the engine passes when refreshing and revoking: the client the tokens were issued to, and no --client-id
    TestFlowContext later = new TestFlowContext(context.provider()).client(result.clientRecord().orElseThrow());

    ConnectionRecord refreshed = new DeviceCodeFlow().refresh(later, first);
    Revocation revocation = new DeviceCodeFlow().revokeAtProvider(later, refreshed);

    assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
    assertThat(refreshed.refreshToken()).isNotBlank().isNotEqualTo(first.refreshToken());
    assertThat(refreshed.clientId()).isEqualTo(OidcServer.PUBLIC_CLIENT);
    assertThat(revocation.revokedAtProvider()).as(String.valueOf(revocation)).isTrue();
    assertThat(server.active(refreshed.refreshToken())).isFalse();
    assertThat(server.active(refreshed.accessToken())).isFalse();
  }

  @Test
  void login_deniedOnTheVerificationPage_failsWithAuthenticationFailed() throws Exception {
    TestFlowContext context = context();
    CompletableFuture<FlowResult> login = CompletableFuture.supplyAsync(() -> new DeviceCodeFlow().login(context));

    OidcServer.approve(awaitVerificationUri(context), tmp.resolve("approver.log"), "--deny");

    assertThatThrownBy(() -> login.get(120, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("access_denied");
        });
  }

  @Test
  void login_interruptedWhilePolling_isCancelled() throws Exception {
    TestFlowContext context = context();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        new DeviceCodeFlow().login(context);
        failure.complete(null);
      } catch (Throwable t) {
        failure.complete(t);
      }
    });
    thread.start();
    awaitVerificationUri(context);

    thread.interrupt();

    assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(AuthsomeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_CANCELLED));
  }

  @Test
  void login_withJsonTokenRequestVariant_pollsWithAJsonBody() throws Exception {
    // Postiz's device flow wants the token request as JSON; oidc-provider accepts only forms, so this one provider
    // is played by a loopback fixture that refuses anything but a JSON body carrying the device code.
    List<String> tokenBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer postiz = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String base = "http://127.0.0.1:" + postiz.getAddress().getPort();
    postiz.createContext("/device/code", exchange -> reply(exchange, 200, "{\"device_code\":\"dc-1\","
        + "\"user_code\":\"ABCD-1234\",\"verification_uri\":\"" + base + "/activate\",\"expires_in\":60,"
        + "\"interval\":1}"));
    postiz.createContext("/token", exchange -> {
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      tokenBodies.add(body);
      boolean json = type != null && type.startsWith("application/json") && body.contains("\"device_code\":\"dc-1\"");
      if (!json) {
        reply(exchange, 400, "{\"error\":\"invalid_request\"}");
      } else if (tokenBodies.size() < 2) {
        reply(exchange, 400, "{\"error\":\"authorization_pending\"}");
      } else {
        reply(exchange, 200, "{\"access_token\":\"postiz-token\",\"token_type\":\"Bearer\"}");
      }
    });
    postiz.start();
    try {
      var e = new OidcServer.Endpoints(null, base + "/token", null, base + "/device/code", null, null, null);
      TestFlowContext context = new TestFlowContext(OidcServer.provider("postiz", "device_code", List.of(), e, null,
          Map.of(), "json", List.of())).option("client_id", "postiz-cli").input(request -> Map.of());

      FlowResult result = new DeviceCodeFlow().login(context);

      assertThat(result.connection().accessToken()).isEqualTo("postiz-token");
      assertThat(tokenBodies).hasSize(2).allSatisfy(body -> assertThat(body).startsWith("{"));
      assertThat(context.progressText()).contains("enter the code: ABCD-1234");
    } finally {
      postiz.stop(0);
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
