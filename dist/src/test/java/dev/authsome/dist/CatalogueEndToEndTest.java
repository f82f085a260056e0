package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the catalogue's definitions make {@code bin/authsome} send. A bundled definition, taken from
 * {@code inspect --json} with its endpoints moved to a loopback server (the vendors cannot be reached here), shadows
 * the bundled one as a custom file; everything else in it (scopes, separators, device scopes) is as shipped. The
 * browser is a script on {@code $BROWSER} that records the URL it is asked to open and then follows it with curl.
 */
class CatalogueEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path tmp;
  Cli cli;
  HttpServer vendor;
  String base;
  final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    Cli.assumeComplete();
    cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
    cli.env.put("BROWSER", recordingBrowser().toString());
    vendor = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + vendor.getAddress().getPort();
    // Authorization: refuse (as a user who clicks "deny" would), back to the redirect URI with the request's state.
    vendor.createContext("/authorize", exchange -> {
      requests.add("GET " + exchange.getRequestURI());
      Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
      exchange.getResponseHeaders().add("Location", q.get("redirect_uri") + "?error=access_denied&state="
          + q.get("state"));
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    // Device authorization and token: record the form, refuse it.
    vendor.createContext("/device", exchange -> refuse(exchange, "access_denied"));
    vendor.createContext("/token", exchange -> refuse(exchange, "invalid_grant"));
    vendor.start();
  }

  @AfterEach
  void tearDown() {
    if (vendor != null) {
      vendor.stop(0);
    }
  }

  @Test
  void slackLogin_asksForItsUserScopes_commaJoined_inUserScope() throws IOException {
    shadow("slack");

    Result login = cli.feed("slack-secret\n", "login", "slack", "--client-id", "slack-client", "--stdin",
        "--timeout", "30");

    assertThat(login.exit()).as(login.toString()).isNotZero();
    Map<String, String> sent = query(URI.create(browserLog().get(0)).getRawQuery());
    assertThat(sent.get("user_scope")).isEqualTo("channels:read,channels:history,chat:write,users:read,search:read");
    assertThat(sent).doesNotContainKey("scope").containsEntry("client_id", "slack-client");
    assertThat(requests).singleElement().asString().startsWith("GET /authorize?");
  }

  @Test
  void googleDeviceLogin_requestsOnlyScopesGoogleAllowsInTheDeviceFlow() throws IOException {
    shadow("google-drive");

    Result login = cli.feed("tv-secret\n", "login", "google-drive", "--flow", "device_code", "--client-id",
        "tv-client", "--stdin");

    assertThat(login.exit()).as(login.toString()).isNotZero();
    assertThat(requests).first().asString().startsWith("POST /device");
    Map<String, String> form = query(requests.get(0).substring(requests.get(0).indexOf(' ', 5) + 1));
    assertThat(form.get("scope").split(" "))
        .containsExactly("openid", "email", "https://www.googleapis.com/auth/drive.file");
    // Google's token endpoint takes the client in the body (client_secret_post, stated in the definition)
    assertThat(form).containsEntry("client_id", "tv-client").containsEntry("client_secret", "tv-secret");
  }

  @Test
  void customFileWithoutAnAuthMethod_sendsTheClientSecretInTheBody() throws IOException {
    OidcServer.serverDir();
    try (OidcServer server = OidcServer.start()) {
      // no issuer (no metadata to consult) and no token_endpoint_auth_method: the reference's client_secret_post;
      // the server registered this client for client_secret_post only and refuses HTTP Basic from it
      Files.createDirectories(home.resolve("providers"));
      Files.writeString(home.resolve("providers/postidp.yaml"), "schema_version: 1\n"
          + "name: postidp\n"
          + "display_name: Post IdP\n"
          + "docs_url: https://example.test/docs\n"
          + "auth_type: oauth2\n"
          + "flow: pkce\n"
          + "oauth:\n"
          + "  authorization_url: " + server.issuer() + "/auth\n"
          + "  token_url: " + server.issuer() + "/token\n"
          + "  scopes: [openid, email, offline_access]\n");
      cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log"), "--login carol"));

      Result login = cli.feed(OidcServer.POST_SECRET + "\n", "login", "postidp", "--client-id",
          OidcServer.POST_CLIENT, "--stdin");

      assertThat(login.exit()).as(login + approverLog()).isZero();
      JsonNode record = cli.run("get", "postidp", "--json").json();
      assertThat(record.get("status").asText()).isEqualTo("connected");
    }
  }

  /** The bundled definition from {@code inspect --json}, OAuth endpoints moved here, saved as a custom file. */
  private void shadow(String name) throws IOException {
    Result inspect = cli.run("inspect", name, "--json");
    assertThat(inspect.exit()).as(inspect.toString()).isZero();
    ObjectNode definition = (ObjectNode) inspect.json();
    assertThat(definition.get("source").asText()).isEqualTo("bundled");
    assertThat(definition.get("sources")).isInstanceOf(ArrayNode.class).isNotEmpty();
    ObjectNode oauth = (ObjectNode) definition.get("oauth");
    oauth.put("authorization_url", base + "/authorize");
    oauth.put("token_url", base + "/token");
    oauth.put("device_authorization_url", base + "/device");
    // nothing may reach the real vendor: no discovery, no userinfo, no revocation
    oauth.remove(List.of("issuer", "userinfo_url", "revocation_url"));
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/" + name + ".json"), JSON.writeValueAsString(definition));
  }

  private void refuse(HttpExchange exchange, String error) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " " + body);
    byte[] bytes = ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(400, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** A {@code $BROWSER} that appends each URL to browser.log and follows it (redirects included) with curl. */
  private Path recordingBrowser() throws IOException {
    Path script = tmp.resolve("browser.sh");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" + tmp.resolve("browser.log") + "'\n"
        + "exec curl -s -o /dev/null -L \"$1\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private List<String> browserLog() throws IOException {
    Path log = tmp.resolve("browser.log");
    assertThat(log).as("the login opened no URL through $BROWSER").exists();
    return Files.readAllLines(log);
  }

  private String approverLog() throws IOException {
    Path log = tmp.resolve("approver.log");
    return Files.exists(log) ? Files.readString(log) : "(no approver log)";
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
