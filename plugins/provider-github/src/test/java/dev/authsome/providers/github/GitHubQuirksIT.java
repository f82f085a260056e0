package dev.authsome.providers.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.flow.devicecode.DeviceCodeFlow;
import dev.authsome.flow.pkce.PkceFlow;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.TestFlowContext;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub plugin jar as built, loaded through the real plugin host, driving the real pkce and device_code flows
 * against a loopback server that answers as GitHub documents at
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps (form-encoded unless
 * {@code Accept: application/json}; comma-separated scopes) and
 * https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 * (errors such as {@code bad_verification_code} with HTTP 200; in the device flow {@code authorization_pending} and
 * {@code slow_down} with HTTP 200 too).
 */
class GitHubQuirksIT {
  private static final Pattern AUTHORIZE_URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/login/oauth/authorize\\?\\S+)");

  @TempDir Path home;
  private HttpServer github;
  private String base;
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger devicePolls = new AtomicInteger();
  private PluginHost host;

  @BeforeEach
  void start() throws IOException {
    github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + github.getAddress().getPort();
    github.createContext("/login/oauth/authorize", exchange -> {
      // the user approved: GitHub redirects to the redirect_uri with code and state
      Map<String, String> q = params(exchange.getRequestURI().getRawQuery());
      exchange.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + q.get("client_id")
          .replace("app-", "code-") + "&state=" + q.get("state"));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    github.createContext("/login/device/code", exchange -> answer(exchange, Map.of("device_code",
        "3584d83530557fdd1f46af8289938c8ef79f9dc5", "user_code", "WDJB-MJHT", "verification_uri",
        "https://github.com/login/device", "expires_in", 900, "interval", 1)));
    github.createContext("/login/oauth/access_token", this::token);
    github.createContext("/user", exchange -> answer(exchange, Map.of("login", "octocat", "id", 1)));
    github.start();
    Path jar = Path.of(System.getProperty("authsome.provider.jar"));
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    host = PluginHost.open(PluginHostConfig.of(home, null));
  }

  @AfterEach
  void stop() {
    host.close();
    github.stop(0);
  }

  /** GitHub's token endpoint: every outcome with HTTP 200, JSON only when asked for. */
  private void token(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> form = params(body);
    tokenRequests.add("Accept=" + exchange.getRequestHeaders().getFirst("Accept") + " " + body);
    Map<String, Object> reply;
    switch (form.getOrDefault("grant_type", "")) {
      case "authorization_code" -> reply = form.get("code").equals("code-good")
          ? Map.of("access_token", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "scope", "repo,read:user",
              "token_type", "bearer")
          : Map.of("error", "bad_verification_code", "error_description", "The code passed is incorrect or expired.",
              "error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token"
                  + "-request-errors/#bad-verification-code");
      case "urn:ietf:params:oauth:grant-type:device_code" -> reply = switch (devicePolls.incrementAndGet()) {
        case 1 -> Map.of("error", "authorization_pending", "error_description", "The authorization request is still "
            + "pending.");
        case 2 -> Map.of("error", "slow_down", "error_description", "Too many requests have been made in the same "
            + "timeframe.", "interval", 6);
        default -> Map.of("access_token", "gho_device0000000000000000000000000000", "token_type", "bearer", "scope",
            "repo");
      };
      case "refresh_token" -> reply = Map.of("error", "bad_refresh_token", "error_description",
          "The refresh token passed is incorrect or expired.");
      default -> reply = Map.of("error", "unsupported_grant_type");
    }
    answer(exchange, reply);
  }

  /** 200 with JSON when the request accepts it, else GitHub's default form encoding. */
  private static void answer(HttpExchange exchange, Map<String, Object> fields) throws IOException {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    boolean json = accept != null && accept.contains("application/json");
    StringBuilder out = new StringBuilder(json ? "{" : "");
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(json ? "," : "&");
      }
      Object v = f.getValue();
      out.append(json ? "\"" + f.getKey() + "\":" + (v instanceof Number ? v : "\"" + v + "\"")
          : f.getKey() + "=" + java.net.URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
    }
    byte[] bytes = (json ? out.append("}") : out).toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", json ? "application/json; charset=utf-8"
        : "application/x-www-form-urlencoded; charset=utf-8");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Map<String, String> params(String encoded) {
    Map<String, String> out = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The definition from the jar, its {base_url} pointed at the loopback GitHub (userinfo too). */
  private ProviderDefinition github() {
    ResolvedProvider resolved = host.catalogue().find("github").orElseThrow();
    assertThat(resolved.origin()).endsWith(".jar");
    ProviderDefinition d = ProviderDefinitions.resolve(resolved.definition(), base);
    ProviderDefinition.OAuthConfig o = d.oauth();
    return new ProviderDefinition(d.schemaVersion(), d.name(), d.displayName(), d.description(), d.logo(),
        d.docsUrl(), d.authType(), d.flow(), new ProviderDefinition.OAuthConfig(o.authorizationUrl(), o.tokenUrl(),
        o.revocationUrl(), o.deviceAuthorizationUrl(), o.registrationEndpoint(), base + "/user", o.issuer(),
        o.deviceTokenRequest(), o.scopes(), o.baseUrl(), o.pkce(), o.supportsDeviceFlow(), o.supportsDcr(),
        o.tokenEndpointAuthMethod(), o.authorizeParams(), o.extra()), d.apiKey(), d.export(), d.apiUrls(),
        d.metadata(), d.extra());
  }

  private OAuthQuirks quirksFromTheJar() {
    return host.catalogue().extension("github", OAuthQuirks.class).orElseThrow();
  }

  private TestFlowContext context(String clientId) throws IOException {
    return new TestFlowContext(github()).extension(OAuthQuirks.class, quirksFromTheJar())
        .option("client_id", clientId)
        .option("no_browser", "true")
        .option("callback_port", Integer.toString(freePort()))
        .timeout(Duration.ofSeconds(30))
        .input(request -> Map.of("client_secret", Secret.of("github-client-secret")));
  }

  /** Plays the browser: waits for the printed authorization URL and follows GitHub's redirect to the callback. */
  private static Thread browser(TestFlowContext context) {
    Thread t = new Thread(() -> {
      try {
        Matcher m = AUTHORIZE_URL.matcher("");
        while (!(m = AUTHORIZE_URL.matcher(context.progressText())).find()) {
          Thread.sleep(20);
        }
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
        client.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.discarding());
      } catch (IOException | InterruptedException e) {
        // the flow then times out and the test fails on its own
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void pkceLogin_asksForJson_parsesCommaSeparatedScopes_andFindsTheAccount() throws Exception {
    TestFlowContext context = context("app-good");
    browser(context);

    FlowResult result = new PkceFlow().login(context);

    ConnectionRecord record = result.connection();
    assertThat(record.accessToken()).isEqualTo("gho_16C7e42F292c6912E7710c838347Ae178B4a");
    assertThat(record.scopes()).containsExactly("repo", "read:user");
    assertThat(record.account().label()).isEqualTo("octocat");
    assertThat(tokenRequests).singleElement().asString().startsWith("Accept=application/json ")
        .contains("client_secret=github-client-secret");
  }

  @Test
  void pkceLogin_withAnExpiredCode_failsWithGitHubsErrorInsteadOfAParseError() throws Exception {
    TestFlowContext context = context("app-expired");
    browser(context);

    assertThatThrownBy(() -> new PkceFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("bad_verification_code")
              .contains("The code passed is incorrect or expired.").doesNotContain("not an OAuth token response");
        });
  }

  @Test
  void deviceLogin_keepsPollingThroughPendingAndSlowDownSentWithHttp200_thenConnects() throws Exception {
    TestFlowContext context = context("app-device");

    FlowResult result = new DeviceCodeFlow().login(context);

    assertThat(result.connection().accessToken()).isEqualTo("gho_device0000000000000000000000000000");
    assertThat(devicePolls.get()).isEqualTo(3);
    assertThat(context.progressText()).contains("WDJB-MJHT").contains("https://github.com/login/device");
    assertThat(tokenRequests).allSatisfy(r -> assertThat(r).startsWith("Accept=application/json "));
  }

  @Test
  void refresh_refusedWithHttp200_isARefreshFailureNamingGitHubsError() throws Exception {
    TestFlowContext context = context("app-refresh").client(new ClientRecord(1, "github", "default", "app-refresh",
        "github-client-secret", null, List.of(), "user", null, null, Map.of()));
    ConnectionRecord current = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "github", "default", "default",
        dev.authsome.core.AuthType.OAUTH2, "pkce", dev.authsome.core.ConnectionStatus.CONNECTED, null, List.of(),
        List.of("repo"), "ghu_old", "ghr_old", null, "bearer", null, null, null,
        ConnectionRecord.Account.UNKNOWN, Map.of());

    assertThatThrownBy(() -> new PkceFlow().refresh(context, current))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED);
          assertThat(e.getMessage()).contains("bad_refresh_token");
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
