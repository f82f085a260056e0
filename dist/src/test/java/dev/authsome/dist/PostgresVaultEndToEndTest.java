package dev.authsome.dist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.vault.postgres.TestPostgres;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared vault end to end: three {@code bin/authsome} "nodes", each with its own home, on one real PostgreSQL
 * database (a throw-away cluster). The first node creates the vault, the others import its key; then they share
 * connections, refresh an expiring token exactly once between them, and fail with the documented exit codes.
 */
class PostgresVaultEndToEndTest {
  private static final String KEY = "sk-e2eSHARED0123456789abcdefXYZ";
  private static TestPostgres pg;

  @TempDir Path homeA;
  @TempDir Path homeB;
  @TempDir Path homeC;
  @TempDir Path tmp;
  private final List<Cli> nodes = new ArrayList<>();
  private String database;

  @BeforeAll
  static void server() {
    Cli.assumeComplete();
    pg = TestPostgres.shared();
  }

  @BeforeEach
  void nodes() {
    database = pg.createDatabase();
    for (Path home : List.of(homeA, homeB, homeC)) {
      Cli node = new Cli(home);
      node.env.putAll(pg.environment(database));
      node.env.put("AUTHSOME_VAULT", "postgres");
      nodes.add(node);
    }
  }

  /** Node A makes the vault with its first record; B and C import A's key. */
  private void shareKey() {
    Result export = nodes.get(0).run("vault", "key", "export");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(export.err()).contains("master key");
    for (Cli node : nodes.subList(1, 3)) {
      Result imported = node.feed(export.out(), "vault", "key", "import", "--stdin");
      assertThat(imported.exit()).as(imported.toString()).isZero();
    }
  }

  @Test
  void threeNodes_shareConnections_andALogoutOnOneIsSeenByAll() {
    Result login = nodes.get(0).feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    shareKey();

    for (Cli node : nodes) {
      Result get = node.run("get", "openai", "--field", "api_key", "--show-secret");
      assertThat(get.exit()).as(get.toString()).isZero();
      assertThat(get.out().strip()).isEqualTo(KEY);
    }
    Result doctor = nodes.get(1).run("doctor");
    assertThat(doctor.exit()).as(doctor.toString()).isZero();
    assertThat(doctor.out()).contains("postgres (127.0.0.1:" + pg.port() + "/" + database + ", schema v1");

    assertThat(nodes.get(2).run("logout", "openai").exit()).isZero();
    assertThat(nodes.get(0).run("get", "openai").exit()).isEqualTo(5);
    assertThat(nodes.get(1).run("get", "openai").exit()).isEqualTo(5);
    assertThat(pg.dump(database)).doesNotContain(KEY).doesNotContain("e2eSHARED");
  }

  @Test
  void doctor_onASchemaNewerThanThisAuthsome_exits7NamingBothVersions() throws Exception {
    assertThat(nodes.get(0).feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();
    try (var c = pg.connect(database); var s = c.createStatement()) {
      s.execute("INSERT INTO authsome_schema (version, description) VALUES (99, 'from a future authsome')");
    }
    Result doctor = nodes.get(0).run("doctor");
    assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(7);
    assertThat(doctor.out() + doctor.err()).contains("schema v99 is newer than this authsome's v1")
        .contains("upgrade authsome");
  }

  @Test
  void rekey_onOneNode_othersExit7NamingTheirKeySource_untilTheyImportTheNewKey() {
    assertThat(nodes.get(0).feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();
    shareKey();

    Result rekey = nodes.get(0).run("vault", "rekey");
    assertThat(rekey.exit()).as(rekey.toString()).isZero();

    assertThat(nodes.get(0).run("get", "openai", "--field", "api_key", "--show-secret").out().strip()).isEqualTo(KEY);
    Result stale = nodes.get(1).run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(stale.exit()).as(stale.toString()).isEqualTo(7);
    assertThat(stale.err()).contains("key file").contains("does not open").doesNotContain(KEY);
    Result export = nodes.get(0).run("vault", "key", "export");
    assertThat(nodes.get(1).feed(export.out(), "vault", "key", "import", "--stdin").exit()).isZero();
    assertThat(nodes.get(1).run("get", "openai", "--field", "api_key", "--show-secret").out().strip()).isEqualTo(KEY);
    assertThat(pg.dump(database)).doesNotContain(KEY).doesNotContain("e2eSHARED");
  }

  @Test
  void passwordSet_keepsTheDatabasePasswordInTheKeychain_onlyOnceTheServerAcceptedIt() throws Exception {
    try (KeyringSession session = KeyringSession.start(tmp.resolve("keyring"))) {
      Cli node = nodes.get(0);
      node.env.putAll(session.environment());
      node.env.remove("PGPASSWORD");
      node.unset.add("PGPASSWORD");
      node.env.put("PGPASSFILE", tmp.resolve("no-pgpass").toString());
      Result without = node.run("get", "openai");
      assertThat(without.exit()).as(without.toString()).isEqualTo(7);

      Result wrong = node.feed("not-the-password\n", "vault", "password", "set", "--stdin");
      assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(7);
      assertThat(wrong.err()).contains("127.0.0.1:" + pg.port()).contains("refused").contains("nothing was stored")
          .doesNotContain("not-the-password");
      Result noInput = node.run("vault", "password", "set");
      assertThat(noInput.exit()).as(noInput.toString()).isEqualTo(2);
      assertThat(noInput.err()).contains("--stdin");

      Result set = node.feed(TestPostgres.PASSWORD + "\n", "vault", "password", "set", "--stdin");
      assertThat(set.exit()).as(set.toString()).isZero();
      assertThat(set.out() + set.err()).contains("authsome-postgres").doesNotContain(TestPostgres.PASSWORD);

      Result login = node.feed(KEY + "\n", "login", "openai", "--stdin");
      assertThat(login.exit()).as(login.toString()).isZero();
      assertThat(node.run("get", "openai", "--field", "api_key", "--show-secret").out().strip()).isEqualTo(KEY);
      assertThat(node.run("log").out()).contains("vault_password_set").doesNotContain(TestPostgres.PASSWORD);
    }
  }

  @Test
  void nodeWithTheWrongKey_exits7NamingItsKeySource_andWritesNothing() {
    assertThat(nodes.get(0).feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();
    Cli stranger = nodes.get(1);
    stranger.env.put("AUTHSOME_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");

    Result write = stranger.feed("sk-e2eOTHER9876543210zyxwvuABC\n", "login", "openai", "--stdin", "--force");

    assertThat(write.exit()).as(write.toString()).isEqualTo(7);
    assertThat(write.err()).contains("AUTHSOME_MASTER_KEY").contains("does not open");
    Result get = nodes.get(0).run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(get.out().strip()).isEqualTo(KEY);
  }

  @Test
  void passwordInTheUrl_exits2_andUnreachableServer_exits7NamingHostAndPort() {
    Cli node = nodes.get(0);
    node.env.put("AUTHSOME_VAULT_URL", "postgresql://postgres:hunter2@127.0.0.1:" + pg.port() + "/" + database);
    Result withPassword = node.run("list");
    assertThat(withPassword.exit()).as(withPassword.toString()).isEqualTo(2);
    assertThat(withPassword.err()).contains("password").doesNotContain("hunter2");

    node.env.put("AUTHSOME_VAULT_URL", "postgresql://postgres@127.0.0.1:1/" + database);
    Result unreachable = node.run("get", "openai");
    assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(7);
    assertThat(unreachable.err()).contains("127.0.0.1:1");
  }

  @Test
  void migrate_fromFileToPostgres_andBack_keepsTheRecords() {
    Cli node = nodes.get(0);
    node.env.remove("AUTHSOME_VAULT");
    assertThat(node.feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();

    Result up = node.run("vault", "migrate", "--to", "postgres");
    assertThat(up.exit()).as(up.toString()).isZero();
    shareKey();
    assertThat(nodes.get(1).run("get", "openai", "--field", "api_key", "--show-secret").out().strip())
        .isEqualTo(KEY);

    Result down = nodes.get(1).run("vault", "migrate", "--to", "file");
    assertThat(down.exit()).as(down.toString()).isZero();
    nodes.get(1).env.remove("AUTHSOME_VAULT");
    assertThat(nodes.get(1).run("get", "openai", "--field", "api_key", "--show-secret").out().strip())
        .isEqualTo(KEY);
  }

  @Test
  void refreshStorm_acrossThreeNodes_makesExactlyOneRefreshCall() throws Exception {
    OAuthLoginEndToEndTest.assumeOAuthComplete();
    try (OidcServer server = OidcServer.start()) {
      server.accessTokenTtl(6);
      for (Cli node : nodes) {
        OAuthLoginEndToEndTest.writeProvider(node.home, "testidp", "pkce", server.issuer());
        node.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
        node.env.put("DISPLAY", "");
      }
      Cli a = nodes.get(0);
      a.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
      Result login = a.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
      assertThat(login.exit()).as(login.toString()).isZero();
      shareKey();
      server.accessTokenTtl(3600);
      waitUntilExpired(a);
      server.resetCounters();

      List<Cli.Running> storm = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Cli node : nodes) {
          storm.add(node.start(null, true, "export", "testidp", "--format", "json"));
        }
      }
      List<String> tokens = new ArrayList<>();
      for (Cli.Running running : storm) {
        Result r = running.finish();
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode json = r.json();
        tokens.add(json.get("TESTIDP_ACCESS_TOKEN").asText());
      }

      int refreshes = server.tokenRequests("refresh_token");
      System.out.println("MEASURE refresh storm on the shared postgres vault: 9 processes on 3 nodes, refresh"
          + " requests at the token endpoint: " + refreshes);
      assertThat(refreshes).isEqualTo(1);
      assertThat(tokens).containsOnly(tokens.get(0));
      assertThat(server.active(tokens.get(0))).isTrue();
    }
  }

  @Test
  void logoutOnOneNode_stopsInjectionByAnotherNodesRunningProxy() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("proxy-work"));
    try (ProxyFixture fixture = new ProxyFixture(Files.createDirectories(tmp.resolve("fixture-home")), work)) {
      Cli a = proxyNode(fixture, homeA);
      Cli b = proxyNode(fixture, homeB);
      Path definition = Files.writeString(work.resolve("e2e-api.yaml"), ProxyFixture.DEFINITION);
      for (Cli node : List.of(a, b)) {
        Result register = node.run("register", definition.toString());
        assertThat(register.exit()).as(register.toString()).isZero();
      }
      Result login = a.feed(ProxyFixture.KEY + "\n", "login", ProxyFixture.PROVIDER, "--stdin");
      assertThat(login.exit()).as(login.toString()).isZero();
      Result export = a.run("vault", "key", "export");
      assertThat(b.feed(export.out(), "vault", "key", "import", "--stdin").exit()).isZero();

      Path out = work.resolve("proxy.out");
      Path err = work.resolve("proxy.err");
      Process proxy = ProxyFixture.withDefaultSignals(b.processBuilder("proxy", "--json"))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try {
        JsonNode printed = awaitJson(proxy, out, err);
        ProxiedClient client = new ProxiedClient(URI.create(printed.get("proxy_url").asText()),
            Path.of(printed.get("ca_file").asText()), fixture.testCa);
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          if (round > 0) {
            Result again = a.feed(ProxyFixture.KEY + "\n", "login", ProxyFixture.PROVIDER, "--stdin");
            assertThat(again.exit()).as(again.toString()).isZero();
          }
          // B's proxy injects A's credential (after a new login it may take a moment to notice)
          awaitInjection(client, fixture, "/login-" + round + "/", true);

          Result logout = a.run("logout", ProxyFixture.PROVIDER);
          assertThat(logout.exit()).as(logout.toString()).isZero();
          long loggedOut = System.nanoTime(); // the record was deleted before the command exited
          awaitInjection(client, fixture, "/logout-" + round + "/", false);
          millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loggedOut));
          // and it stays stopped
          assertThat(injected(client, fixture, "/logout-" + round + "-after")).isFalse();
        }
        System.out.println("MEASURE logout on node A -> node B's running proxy stops injecting (ms after the logout"
            + " command exited; target < 1000): " + millis);
        assertThat(Files.readString(out) + Files.readString(err)).doesNotContain(ProxyFixture.KEY);
      } finally {
        proxy.destroy();
        proxy.waitFor(60, TimeUnit.SECONDS);
        proxy.destroyForcibly();
      }
    }
  }

  /** A node for the proxy test: the fixture's upstream and trust settings, on the shared database. */
  private Cli proxyNode(ProxyFixture fixture, Path home) {
    Cli node = fixture.newCli(home);
    node.env.putAll(pg.environment(database));
    node.env.put("AUTHSOME_VAULT", "postgres");
    return node;
  }

  /**
   * Requests the routed host through the proxy until injection is {@code wanted} (one new path per request), within a
   * generous 5 s bound: the target is under a second, and the test prints what it measured.
   */
  private static void awaitInjection(ProxiedClient client, ProxyFixture fixture, String prefix, boolean wanted)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (int i = 0; injected(client, fixture, prefix + i) != wanted; i++) {
      assertThat(System.nanoTime()).as("the proxy %s injecting within 5 s", wanted ? "started" : "stopped")
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Whether the upstream received the real key for one request to {@code path} through the proxy. */
  private static boolean injected(ProxiedClient client, ProxyFixture fixture, String path) throws Exception {
    String response = client.get(ProxyFixture.ROUTED, path);
    assertThat(response).as("response through the proxy").startsWith("HTTP/1.1 200").doesNotContain(ProxyFixture.KEY);
    List<UpstreamServer.Seen> seen = fixture.upstream.seen(path);
    assertThat(seen).hasSize(1);
    return seen.get(0).authorization().equals("Bearer " + ProxyFixture.KEY);
  }

  private static JsonNode awaitJson(Process proxy, Path out, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      String text = Files.readString(out);
      if (text.stripTrailing().endsWith("}")) {
        try {
          return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
          // not complete yet
        }
      }
      assertThat(proxy.isAlive() && System.nanoTime() < deadline)
          .as("authsome proxy --json printed no JSON object; stdout: %s; stderr: %s", text, Files.readString(err))
          .isTrue();
      Thread.sleep(50);
    }
  }

  /**
   * An agent speaking HTTPS through the proxy the plain way (CONNECT with the proxy credential, then TLS), trusting
   * the proxy's CA and the upstream's test CA: a routed host is answered by the proxy, an unrouted one (after the
   * logout) is tunnelled to the upstream itself.
   */
  private record ProxiedClient(URI proxy, SSLContext tls) {
    ProxiedClient(URI proxy, Path proxyCa, Path upstreamCa) throws Exception {
      this(proxy, trusting(proxyCa, upstreamCa));
    }

    private static SSLContext trusting(Path... pems) throws Exception {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Path pem : pems) {
        try (var in = Files.newInputStream(pem)) {
          for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            store.setCertificateEntry("ca" + n++, cert);
          }
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    }

    String get(String host, String path) throws Exception {
      try (Socket socket = new Socket(proxy.getHost(), proxy.getPort())) {
        socket.setSoTimeout(60_000);
        String credential = Base64.getEncoder().encodeToString(proxy.getUserInfo().getBytes(UTF_8));
        socket.getOutputStream().write(("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n"
            + "Proxy-Authorization: Basic " + credential + "\r\n\r\n").getBytes(UTF_8));
        String answer = head(socket.getInputStream());
        assertThat(answer).as("the proxy's answer to CONNECT").matches("HTTP/1\\.[01] 200[^\n]*\n(?s).*");
        try (SSLSocket tls = (SSLSocket) this.tls.getSocketFactory().createSocket(socket, host, 443, false)) {
          SSLParameters parameters = tls.getSSLParameters();
          parameters.setEndpointIdentificationAlgorithm("HTTPS");
          parameters.setApplicationProtocols(new String[] {"http/1.1"});
          tls.setSSLParameters(parameters);
          tls.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
              + ProxyFixture.PLACEHOLDER + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
          tls.getOutputStream().flush();
          return new String(tls.getInputStream().readAllBytes(), UTF_8);
        }
      }
    }

    /** The status line and headers, read byte by byte so that nothing of the TLS stream after them is consumed. */
    private static String head(InputStream in) throws Exception {
      var text = new StringBuilder();
      while (!text.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        text.append((char) c);
      }
      return text.toString();
    }
  }

  private static void waitUntilExpired(Cli cli) throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      if (cli.run("get", "testidp", "--field", "status").out().strip().equals("expired")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the short-lived token never expired");
  }
}
