package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.vault.postgres.TestPostgres;
import java.nio.file.Path;
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
    assertThat(doctor.out()).contains("postgres (127.0.0.1:" + pg.port() + "/" + database);

    assertThat(nodes.get(2).run("logout", "openai").exit()).isZero();
    assertThat(nodes.get(0).run("get", "openai").exit()).isEqualTo(5);
    assertThat(nodes.get(1).run("get", "openai").exit()).isEqualTo(5);
    assertThat(pg.dump(database)).doesNotContain(KEY).doesNotContain("e2eSHARED");
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
