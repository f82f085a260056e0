package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight streams of {@code bin/authsome} processes, {@value #DEFAULT_OPS} mixed commands each, on one home at once:
 * {@code login --stdin}, {@code logout}, {@code get --show-secret}, {@code export}, and exports of two shared OAuth
 * connections whose 4-second tokens keep expiring, so the streams refresh them against the real oidc-provider while
 * the others write. Each stream owns its API-key connections, so what every read returns and what the vault holds at
 * the end follow from that stream's own commands: any lost, duplicated or swapped write shows. Every value names its
 * connection, so a value read from the wrong connection shows too. {@code -Dauthsome.concurrency.ops=N} changes the
 * commands per stream.
 */
class MixedConcurrencyEndToEndTest {
  static final int DEFAULT_OPS = 100;
  static final int OPS = Integer.getInteger("authsome.concurrency.ops", DEFAULT_OPS);
  static final int STREAMS = 8;
  static final int OWNED = 3;
  static final int TOKEN_TTL_SECONDS = 4;
  static final long SEED = Long.getLong("authsome.concurrency.seed", System.nanoTime());

  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;

  @BeforeAll
  static void startServer() {
    OAuthLoginEndToEndTest.assumeOAuthComplete();
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void eightStreamsOfMixedCommands_endInExactlyTheStateTheirCommandsImply_withOneRefreshPerExpiry() throws Exception {
    System.out.println("concurrency test seed " + SEED + " (replay choices: -Dauthsome.concurrency.seed=" + SEED + ")");
    Cli cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    OAuthLoginEndToEndTest.writeProvider(home, "testidp", "pkce", server.issuer());
    Result seed = cli.feed("sk-mixedSEED0123456789abcdefgh\n", "login", "openai", "--stdin");
    assertThat(seed.exit()).as(seed.toString()).isZero();
    server.accessTokenTtl(TOKEN_TTL_SECONDS);
    for (String shared : List.of("s1", "s2")) {
      Result login = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT, "--connection", shared);
      assertThat(login.exit()).as(login.toString()).isZero();
    }
    // refresh only once a token has really expired, so that the number of refreshes is bounded by the expiries
    cli.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    cli.env.remove("BROWSER");
    server.resetCounters();

    Map<String, Integer> oauthExports = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> tokensSeen = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    List<CompletableFuture<Map<String, String>>> streams = new ArrayList<>();
    for (int s = 1; s <= STREAMS; s++) {
      int stream = s;
      streams.add(CompletableFuture.supplyAsync(() -> stream(cli, stream, new Random(SEED + stream), oauthExports,
          tokensSeen)));
    }
    Map<String, String> expected = new HashMap<>();
    for (CompletableFuture<Map<String, String>> stream : streams) {
      expected.putAll(stream.join());
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    // the end state: exactly the connections the streams left, each with its last value, nothing else
    Result export = cli.run("export", "--format", "json");
    assertThat(export.exit()).as(export.toString()).isZero();
    JsonNode vars = export.json();
    Map<String, String> actual = new HashMap<>();
    for (var it = vars.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().startsWith("OPENAI_API_KEY_OPENAI_")) {
        actual.put(e.getKey().substring("OPENAI_API_KEY_OPENAI_".length()).toLowerCase(java.util.Locale.ROOT),
            e.getValue().asText());
      }
    }
    expected.values().removeIf(v -> v == null);
    assertThat(actual).as("every stream's last write, and nothing else").isEqualTo(expected);
    assertThat(vars.get("OPENAI_API_KEY").asText()).isEqualTo("sk-mixedSEED0123456789abcdefgh");

    // the shared OAuth connections: refreshed at most once per expiry, never duplicated, still live at the server
    int refreshes = server.tokenRequests("refresh_token");
    int exports = oauthExports.values().stream().mapToInt(Integer::intValue).sum();
    int maxExpiries = 2 * ((int) Math.ceil(seconds / TOKEN_TTL_SECONDS) + 1);
    System.out.println("MEASURE mixed concurrency: " + STREAMS + " streams x " + OPS + " commands = " + STREAMS * OPS
        + " commands in " + Math.round(seconds) + " s; " + exports + " exports of 2 shared OAuth connections caused "
        + refreshes + " refreshes (at most " + maxExpiries + " expiries of a " + TOKEN_TTL_SECONDS + " s token)");
    assertThat(refreshes).as("one token-endpoint refresh per expiry").isLessThanOrEqualTo(maxExpiries);
    Map<String, java.util.Set<String>> connectionsOfToken = new HashMap<>();
    for (String seen : tokensSeen) {
      connectionsOfToken.computeIfAbsent(seen.substring(3), t -> new java.util.TreeSet<>()).add(seen.substring(0, 2));
    }
    connectionsOfToken.forEach((token, connections) -> assertThat(connections)
        .as("an access token handed out for one connection only").hasSize(1));
    for (String shared : List.of("s1", "s2")) {
      Result r = cli.run("export", "testidp", "--connection", shared, "--format", "json");
      assertThat(r.exit()).as(r.toString()).isZero();
      String refresh = r.json().get("TESTIDP_REFRESH_TOKEN").asText();
      assertThat(server.active(refresh)).as("the stored refresh token of " + shared + " is the live one").isTrue();
    }
  }

  /** One stream: returns its connections' final values (null: logged out). */
  private static Map<String, String> stream(Cli cli, int stream, Random random, Map<String, Integer> oauthExports,
      ConcurrentLinkedQueue<String> tokensSeen) {
    Map<String, String> state = new HashMap<>();
    List<String> own = new ArrayList<>();
    for (int i = 1; i <= OWNED; i++) {
      own.add("w" + stream + "c" + i);
      state.put("w" + stream + "c" + i, null);
    }
    for (int op = 1; op <= OPS; op++) {
      String c = own.get(random.nextInt(OWNED));
      String current = state.get(c);
      int kind = random.nextInt(10);
      String what = "stream " + stream + " command " + op + ": ";
      if (kind < 3) {
        String value = "sk-" + c + "v" + op + "x" + Long.toHexString(random.nextLong()) + "abcdefghij";
        Result r = cli.feed(value + "\n", "login", "openai", "--connection", c, "--stdin", "--force");
        assertThat(r.exit()).as(what + r).isZero();
        state.put(c, value);
      } else if (kind < 4) {
        Result r = cli.run("logout", "openai", "--connection", c);
        assertThat(r.exit()).as(what + r).isZero();
        if (current == null) {
          assertThat(r.out()).as(what + r).contains("Not logged in");
        }
        state.put(c, null);
      } else if (kind < 6) {
        Result r = cli.run("get", "openai", "--connection", c, "--field", "api_key", "--show-secret");
        if (current == null) {
          assertThat(r.exit()).as(what + r).isEqualTo(5);
        } else {
          assertThat(r.exit()).as(what + r).isZero();
          assertThat(r.out().strip()).as(what + "get " + c).isEqualTo(current);
        }
      } else if (kind < 8) {
        Result r = cli.run("export", "openai", "--connection", c, "--format", "json");
        if (current == null) {
          assertThat(r.exit()).as(what + r).isEqualTo(5);
        } else {
          assertThat(r.exit()).as(what + r).isZero();
          assertThat(r.json().get("OPENAI_API_KEY").asText()).as(what + "export " + c).isEqualTo(current);
        }
      } else {
        String shared = random.nextBoolean() ? "s1" : "s2";
        Result r = cli.run("export", "testidp", "--connection", shared, "--format", "json");
        assertThat(r.exit()).as(what + r).isZero();
        String token = r.json().get("TESTIDP_ACCESS_TOKEN").asText();
        oauthExports.merge(shared, 1, Integer::sum);
        tokensSeen.add(shared + ":" + token);
      }
    }
    return state;
  }
}
