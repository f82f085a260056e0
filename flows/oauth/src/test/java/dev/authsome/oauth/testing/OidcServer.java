package dev.authsome.oauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.core.AuthType;
import dev.authsome.core.ProviderDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real authorization server of the tests: npm {@code oidc-provider} started from {@code testing/oidc-server} as
 * a child process on a free loopback port. Tests skip (with the reason printed) when node or the npm packages are
 * missing, unless {@code AUTHSOME_TEST_REQUIRE_ALL=1}.
 */
public final class OidcServer implements AutoCloseable {
  public static final String PUBLIC_CLIENT = "public-cli";
  public static final String BASIC_CLIENT = "confidential-basic";
  public static final String BASIC_SECRET = "basic-secret-0123456789";
  public static final String POST_CLIENT = "confidential-post";
  public static final String POST_SECRET = "post-secret-0123456789";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final String issuer;

  private OidcServer(Process process, String issuer) {
    this.process = process;
    this.issuer = issuer;
  }

  /** Starts a server; extra arguments go to {@code server.js} (e.g. {@code --access-token-ttl 5}). */
  public static OidcServer start(String... args) {
    Path dir = serverDir();
    List<String> command = new ArrayList<>(List.of("node", dir.resolve("server.js").toString(), "--port", "0"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("listening ")) {
        p.destroyForcibly();
        throw new IllegalStateException("oidc-provider did not start: " + line);
      }
      return new OidcServer(p, line.substring("listening ".length()).trim());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node: " + e.getMessage(), e);
    }
  }

  /** {@code testing/oidc-server}, found from the working directory upwards; skips the test when unusable. */
  public static Path serverDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("testing/oidc-server/server.js"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      missing("testing/oidc-server/server.js not found above " + Path.of("").toAbsolutePath());
    }
    Path server = dir.resolve("testing/oidc-server");
    if (!Files.isDirectory(server.resolve("node_modules/oidc-provider"))) {
      missing("oidc-provider is not installed: run 'npm ci' in " + server);
    }
    if (!nodeAvailable()) {
      missing("node is not installed");
    }
    return server;
  }

  /** Skips (or, with {@code AUTHSOME_TEST_REQUIRE_ALL=1}, fails) the current test. */
  public static void missing(String reason) {
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      Assertions.fail(reason);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A {@code $BROWSER} value that runs the headless approver ({@code approver.js}), logging to {@code log}.
   * Paths must not contain whitespace: $BROWSER entries are split on it.
   */
  public static String approver(Path log, String... args) {
    return "node " + serverDir().resolve("approver.js") + " --log " + log + (args.length == 0 ? ""
        : " " + String.join(" ", args));
  }

  /** Runs the approver on {@code url} as a separate process and waits for it. */
  public static String approve(String url, Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", serverDir().resolve("approver.js").toString(),
        "--log", log.toString()));
    for (String arg : args) {
      command.addAll(List.of(arg.trim().split("\\s+")));
    }
    command.add(url);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return output + (Files.exists(log) ? Files.readString(log) : "");
  }

  public String issuer() {
    return issuer;
  }

  /** A provider definition naming only the issuer: everything else is discovered. */
  public ProviderDefinition discoveredProvider(String name, String flow, List<String> scopes) {
    return provider(name, flow, scopes, new Endpoints(null, null, null, null, null, null, issuer), null, Map.of());
  }

  /** A provider definition with every endpoint spelled out and no issuer (no discovery). */
  public ProviderDefinition explicitProvider(String name, String flow, List<String> scopes,
      String tokenEndpointAuthMethod) {
    return provider(name, flow, scopes, new Endpoints(issuer + "/auth", issuer + "/token", issuer
        + "/token/revocation", issuer + "/device/auth", null, issuer + "/me", null), tokenEndpointAuthMethod,
        Map.of());
  }

  /** The endpoints a test definition names; null ones are left out. */
  public record Endpoints(String authorization, String token, String revocation, String device, String registration,
      String userinfo, String issuer) {
  }

  public static ProviderDefinition provider(String name, String flow, List<String> scopes, Endpoints e,
      String tokenEndpointAuthMethod, Map<String, String> authorizeParams) {
    return provider(name, flow, scopes, e, tokenEndpointAuthMethod, authorizeParams, "oauth2_form", List.of());
  }

  public static ProviderDefinition provider(String name, String flow, List<String> scopes, Endpoints e,
      String tokenEndpointAuthMethod, Map<String, String> authorizeParams, String deviceTokenRequest,
      List<String> apiUrls) {
    var oauth = new ProviderDefinition.OAuthConfig(e.authorization(), e.token(), e.revocation(), e.device(),
        e.registration(), e.userinfo(), e.issuer(), deviceTokenRequest, scopes, null, true, true, true,
        tokenEndpointAuthMethod, authorizeParams, Map.of());
    return new ProviderDefinition(1, name, "Test " + name, null, null, "https://example.test/docs", AuthType.OAUTH2,
        flow, oauth, null, Map.of(), apiUrls, Map.of(), Map.of());
  }

  /** The server's request counters. */
  public JsonNode counters() {
    return json(get("/test/counters"));
  }

  /** How many token requests with this grant type the server received. */
  public int tokenRequests(String grantType) {
    JsonNode n = json(get("/test/counters")).path("token").path(grantType);
    return n.isMissingNode() ? 0 : n.asInt();
  }

  public int registrations() {
    return json(get("/test/counters")).path("registration").asInt();
  }

  public void resetCounters() {
    post("/test/counters/reset", "");
  }

  public void accessTokenTtl(int seconds) {
    post("/test/config?access_token_ttl=" + seconds, "");
  }

  /** Holds every refresh_token grant response {@code millis} ms, so a test can act while a refresh is in flight. */
  public void refreshDelay(int millis) {
    post("/test/config?refresh_delay_ms=" + millis, "");
  }

  /** Answers refresh_token grants with this OAuth error ({@code ""}: answer normally again). */
  public void refreshError(String error) {
    post("/test/config?refresh_error=" + java.net.URLEncoder.encode(error, StandardCharsets.UTF_8), "");
  }

  /** How many token requests the server has received and not yet answered. */
  public int tokenRequestsInFlight() {
    return counters().path("token_in_flight").asInt();
  }

  /** Whether the server's introspection endpoint (RFC 7662) says {@code token} is active. */
  public boolean active(String token) {
    return introspect(token).path("active").asBoolean();
  }

  /** The introspection endpoint's (RFC 7662) answer for {@code token}: {@code active}, {@code client_id}, ... */
  public JsonNode introspect(String token) {
    String auth = Base64.getEncoder().encodeToString("introspector:introspector-secret-0123456789"
        .getBytes(StandardCharsets.UTF_8));
    return json(send("POST", "/token/introspection", "token=" + java.net.URLEncoder.encode(token,
        StandardCharsets.UTF_8), "Basic " + auth));
  }

  /**
   * How many requests the server received from {@code clientId} (the authenticated client, else the one the request
   * named): {@code what} is a grant type ({@code refresh_token}) or {@code revocation}.
   */
  public int requestsBy(String clientId, String what) {
    JsonNode n = counters().path("by_client").path(clientId).path(what);
    return n.isMissingNode() ? 0 : n.asInt();
  }

  /** How many revocation requests the server received. */
  public int revocations() {
    return counters().path("revocation").asInt();
  }

  /** Deletes a dynamically registered client at the server, as an administrator deleting the app would. */
  public void deleteClient(String clientId) {
    post("/test/clients/delete?client_id=" + java.net.URLEncoder.encode(clientId, StandardCharsets.UTF_8), "");
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  private String get(String path) {
    return send("GET", path, null, null);
  }

  private String post(String path, String body) {
    return send("POST", path, body, null);
  }

  private String send(String method, String path, String body, String authorization) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(issuer + path).toURL().openConnection(
          java.net.Proxy.NO_PROXY);
      c.setRequestMethod(method);
      if (authorization != null) {
        c.setRequestProperty("Authorization", authorization);
      }
      if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = c.getResponseCode();
      var in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
