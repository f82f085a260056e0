package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.vault.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs {@code bin/authsome} processes at random moments while they write one home: {@code login --stdin},
 * {@code logout}, refreshes of OAuth tokens against the real oidc-provider, {@code vault rekey} and, in the second test,
 * {@code vault migrate} between the file and the PostgreSQL backend. After every round of kills the vault must open
 * and hold, with its exact value, every write whose command had exited 0 before; a killed write may have happened or
 * not, nothing else.
 *
 * <p>The number of kills is {@value #DEFAULT_KILLS} (CI); {@code -Dauthsome.crash.kills=1000} or
 * {@code AUTHSOME_CRASH_KILLS=1000} runs a long one. {@code -Dauthsome.crash.seed=N} replays a run's random choices
 * (the seed is printed; the timing of the kills cannot be replayed).
 */
class CrashSafetyEndToEndTest {
  static final int DEFAULT_KILLS = 300;
  static final int KILLS = Integer.getInteger("authsome.crash.kills",
      Integer.parseInt(System.getenv().getOrDefault("AUTHSOME_CRASH_KILLS", String.valueOf(DEFAULT_KILLS))));
  static final long SEED = Long.getLong("authsome.crash.seed", System.nanoTime());
  /** Processes started per round, each on a connection of its own (so "the last acknowledged write" is defined). */
  static final int PARALLEL = 8;
  static final int API_CONNECTIONS = 10;
  static final int OAUTH_CONNECTIONS = 3;
  /** The JVM exit status of a process ended by SIGKILL (128 + 9). */
  static final int KILLED = 137;
  /** Margin that makes every token "near expiry", so every export of an OAuth connection refreshes it. */
  static final String ALWAYS_REFRESH = "86400";

  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;
  final Random random = new Random(SEED);
  /** Connection (provider/name) to what it may hold now: values, or {@link #ABSENT}. */
  final Map<String, Set<String>> possible = new HashMap<>();
  static final String ABSENT = "<absent>";
  /** Possible value meaning "a token we never saw" (a killed refresh). */
  static final String UNSEEN = "<unseen>";
  final Stats stats = new Stats();
  /** OAuth connections whose last refresh was killed (so the server may have rotated a token the vault lacks). */
  final Set<String> refreshKilled = new java.util.HashSet<>();
  /** How long a command of a round takes when not killed (measured by a first round without kills, then adapted). */
  double typicalMillis;

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

  /** What a run counted; printed as MEASURE lines for the report. */
  static final class Stats {
    int rounds;
    int started;
    int kills;
    int[] killsBy = new int[Op.Kind.values().length];
    int acknowledged;
    int checks;
    int grantsLostToKills;
    int refusedDuringMigration;
    long typical;

    @Override
    public String toString() {
      StringBuilder by = new StringBuilder();
      for (Op.Kind k : Op.Kind.values()) {
        by.append(' ').append(k.name().toLowerCase(java.util.Locale.ROOT)).append('=').append(killsBy[k.ordinal()]);
      }
      return rounds + " rounds (" + typical + " ms typical command), " + started + " processes, " + kills + " SIGKILLs (" + by.toString().strip() + "), "
          + acknowledged + " acknowledged writes, " + checks + " vault checks, " + grantsLostToKills
          + " OAuth grants lost to a kill between token response and vault write, " + refusedDuringMigration
          + " writes refused (exit 7, nothing written) because a migration moved the vault meanwhile";
    }
  }

  /** One command of a round. */
  record Op(Kind kind, String connection, String value, List<String> args) {
    enum Kind { LOGIN, LOGOUT, REFRESH, REKEY, MIGRATE }
  }

  @Test
  void randomKills_duringLoginsLogoutsRefreshesAndRekeys_neverLoseAnAcknowledgedWrite() throws Exception {
    System.out.println("crash test seed " + SEED + " (replay: -Dauthsome.crash.seed=" + SEED + "), target " + KILLS
        + " kills");
    Cli cli = oauthCli(home);
    seed(cli);
    int target = KILLS;
    while (stats.kills < target) {
      round(cli, false);
    }
    stats.typical = Math.round(typicalMillis);
    System.out.println("MEASURE crash safety (file vault): " + stats);
  }

  @Test
  void randomKills_duringVaultMigrateBackAndForth_neverLoseAnAcknowledgedWrite() throws Exception {
    Cli.assumeComplete();
    TestPostgres pg = TestPostgres.shared();
    String database = pg.createDatabase();
    Cli cli = new Cli(home);
    // the postgres backend is reachable, but config.yaml (not AUTHSOME_VAULT) says which backend is in use
    cli.env.putAll(pg.environment(database));
    cli.env.remove("AUTHSOME_VAULT");
    Result first = cli.feed("sk-crashSEED0123456789abcdefgh\n", "login", "openai", "--stdin");
    assertThat(first.exit()).as(first.toString()).isZero();
    possible.put("openai/default", Set.of("sk-crashSEED0123456789abcdefgh"));
    int target = Math.max(1, KILLS / 10);
    int startKills = stats.kills;
    while (stats.kills - startKills < target) {
      round(cli, true);
    }
    stats.typical = Math.round(typicalMillis);
    System.out.println("MEASURE crash safety (vault migrate file <-> postgres): " + stats);
  }

  private Cli oauthCli(Path h) throws IOException {
    Cli cli = new Cli(h);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log")));
    OAuthLoginEndToEndTest.writeProvider(h, "testidp", "pkce", server.issuer());
    return cli;
  }

  /** The default connections (never touched by a round) and every OAuth connection, logged in for real. */
  private void seed(Cli cli) {
    Result first = cli.feed("sk-crashSEED0123456789abcdefgh\n", "login", "openai", "--stdin");
    assertThat(first.exit()).as(first.toString()).isZero();
    possible.put("openai/default", Set.of("sk-crashSEED0123456789abcdefgh"));
    for (int i = 0; i <= OAUTH_CONNECTIONS; i++) {
      oauthLogin(cli, i == 0 ? null : "o" + i);
    }
    verify(cli);
  }

  private void oauthLogin(Cli cli, String connection) {
    List<String> args = new ArrayList<>(List.of("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT));
    if (connection != null) {
      args.addAll(List.of("--connection", connection));
    }
    Result login = cli.run(args.toArray(String[]::new));
    assertThat(login.exit()).as(login.toString()).isZero();
    // the value is read back by the next check
    possible.put("testidp/" + (connection == null ? "default" : connection), Set.of(UNSEEN));
  }

  /** Starts {@link #PARALLEL} writers, SIGKILLs each at a random moment, then checks the vault. */
  private void round(Cli cli, boolean migrate) throws Exception {
    stats.rounds++;
    List<Op> ops = plan(cli, migrate);
    List<Cli.Running> running = new ArrayList<>();
    List<Long> started = new ArrayList<>();
    List<Long> killAt = new ArrayList<>();
    for (Op op : ops) {
      Cli c = cli;
      if (op.kind() == Op.Kind.REFRESH) {
        c = copy(cli);
        c.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", ALWAYS_REFRESH);
      }
      String stdin = op.kind() == Op.Kind.LOGIN ? op.value() + "\n" : null;
      long now = System.nanoTime();
      running.add(c.start(stdin, true, op.args().toArray(String[]::new)));
      started.add(now);
      // Spread the kills over a whole command's life, from JVM start to after its write (some finish first); the
      // first round of a test kills nothing and measures how long a command takes on this machine under this load.
      killAt.add(typicalMillis == 0 ? Long.MAX_VALUE
          : now + (long) (random.nextDouble() * typicalMillis * 1_000_000));
      stats.started++;
    }
    // kill in time order
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Long.compare(killAt.get(a), killAt.get(b)));
    for (int i : order) {
      if (killAt.get(i) == Long.MAX_VALUE) {
        break;
      }
      long wait = killAt.get(i) - System.nanoTime();
      Process p = running.get(i).process();
      if (wait > 0) {
        p.waitFor(wait, TimeUnit.NANOSECONDS);
      }
      if (p.isAlive()) {
        p.destroyForcibly(); // SIGKILL on Linux
      }
    }
    Map<String, Set<String>> before = new HashMap<>(possible);
    List<Double> took = new ArrayList<>();
    int killedNow = 0;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      Result r = running.get(i).finish();
      took.add((System.nanoTime() - started.get(i)) / 1e6);
      boolean killed = r.exit() == KILLED;
      if (killed) {
        killedNow++;
        stats.kills++;
        stats.killsBy[op.kind().ordinal()]++;
      }
      apply(cli, op, r, killed, before);
    }
    // Aim at roughly two kills in three: the rest finish, and their writes are the acknowledged ones checked below.
    if (typicalMillis == 0) {
      took.sort(null);
      typicalMillis = 1.4 * took.get(took.size() / 2);
    } else if (killedNow > ops.size() * 0.8) {
      typicalMillis *= 1.15;
    } else if (killedNow < ops.size() * 0.5) {
      typicalMillis *= 0.87;
    }
    verify(cli);
  }

  private List<Op> plan(Cli cli, boolean migrate) {
    List<Op> ops = new ArrayList<>();
    List<String> free = new ArrayList<>();
    for (int i = 1; i <= API_CONNECTIONS; i++) {
      free.add("c" + i);
    }
    java.util.Collections.shuffle(free, random);
    List<String> freeOauth = new ArrayList<>();
    for (int i = 1; i <= OAUTH_CONNECTIONS; i++) {
      freeOauth.add("o" + i);
    }
    java.util.Collections.shuffle(freeOauth, random);
    if (migrate) {
      // one migration to the other backend, while logins (never logouts: see migrateArgs) write the same vault
      ops.add(new Op(Op.Kind.MIGRATE, "", "", List.of("vault", "migrate", "--to",
          backend(cli).equals("file") ? "postgres" : "file")));
    } else if (random.nextInt(4) == 0) {
      ops.add(new Op(Op.Kind.REKEY, "", "", List.of("vault", "rekey")));
    }
    if (!migrate && random.nextBoolean()) {
      String o = freeOauth.remove(0);
      ops.add(new Op(Op.Kind.REFRESH, "testidp/" + o, "", List.of("export", "testidp", "--connection", o, "--format",
          "json")));
    }
    while (ops.size() < PARALLEL) {
      String c = free.remove(0);
      if (!migrate && random.nextInt(3) == 0) {
        ops.add(new Op(Op.Kind.LOGOUT, "openai/" + c, ABSENT, List.of("logout", "openai", "--connection", c)));
      } else {
        String value = "sk-crash" + stats.rounds + "x" + c + "x" + Long.toHexString(random.nextLong()) + "0123456789";
        ops.add(new Op(Op.Kind.LOGIN, "openai/" + c, value, List.of("login", "openai", "--connection", c, "--stdin",
            "--force")));
      }
    }
    return ops;
  }

  /** Folds the outcome of one command into {@link #possible}; fails on an exit that is neither 0 nor a kill. */
  private void apply(Cli cli, Op op, Result r, boolean killed, Map<String, Set<String>> before) {
    switch (op.kind()) {
      case REKEY, MIGRATE -> {
        if (!killed && r.exit() != 0) {
          fail("round " + stats.rounds + ": " + String.join(" ", op.args()) + " failed: " + r);
        }
        if (!killed) {
          stats.acknowledged++;
        }
      }
      case LOGIN, LOGOUT -> {
        if (!killed && r.exit() == 7 && r.err().contains("while this command ran")) {
          // a write that raced a migration is refused and must have written nothing: the connection stays as it was
          stats.refusedDuringMigration++;
          possible.put(op.connection(), before.getOrDefault(op.connection(), Set.of(ABSENT)));
          return;
        }
        boolean acked = r.exit() == 0 || (op.kind() == Op.Kind.LOGOUT && r.exit() == 5
            && before.getOrDefault(op.connection(), Set.of(ABSENT)).contains(ABSENT));
        if (!killed && !acked) {
          fail("round " + stats.rounds + ": " + String.join(" ", op.args()) + " failed: " + r);
        }
        Set<String> next = new LinkedHashSet<>();
        if (killed) {
          next.addAll(before.getOrDefault(op.connection(), Set.of(ABSENT)));
        } else {
          stats.acknowledged++;
        }
        next.add(op.value());
        possible.put(op.connection(), next);
      }
      case REFRESH -> {
        if (killed) {
          Set<String> next = new LinkedHashSet<>(before.get(op.connection()));
          next.add(UNSEEN);
          possible.put(op.connection(), next);
          refreshKilled.add(op.connection());
        } else if (r.exit() == 0) {
          refreshKilled.remove(op.connection());
          stats.acknowledged++;
          possible.put(op.connection(), Set.of(r.json().get("TESTIDP_ACCESS_TOKEN").asText()));
        } else if (refreshKilled.remove(op.connection())) {
          // A kill after the server rotated the refresh token but before the vault write loses the new one: the
          // server then refuses the old one (reuse detection). The record must say so and name the fix; log in anew.
          stats.grantsLostToKills++;
          String name = op.connection().substring("testidp/".length());
          Result status = cli.run("get", "testidp", "--connection", name, "--field", "status");
          assertThat(status.out().strip()).as("after a refused refresh token: " + r + "\n" + status)
              .isEqualTo("expired");
          Result logout = cli.run("logout", "testidp", "--connection", name);
          assertThat(logout.exit()).as(logout.toString()).isZero();
          oauthLogin(cli, name);
        } else {
          fail("round " + stats.rounds + ": refresh of " + op.connection() + " failed: " + r);
        }
      }
    }
  }

  /** The vault opens, and every connection holds a value it may hold; afterwards that value is the known one. */
  private void verify(Cli cli) {
    stats.checks++;
    Cli plain = copy(cli);
    plain.env.put("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "0");
    Result export = plain.run("export", "--format", "json");
    assertThat(export.exit()).as("round " + stats.rounds + ": the vault must open after the kills: " + export)
        .isZero();
    JsonNode vars = export.json();
    for (Map.Entry<String, Set<String>> e : possible.entrySet()) {
      String provider = e.getKey().substring(0, e.getKey().indexOf('/'));
      String name = e.getKey().substring(e.getKey().indexOf('/') + 1);
      String field = provider.equals("openai") ? "OPENAI_API_KEY" : "TESTIDP_ACCESS_TOKEN";
      String var = name.equals("default") ? field
          : field + "_" + envSafe(provider) + "_" + envSafe(name);
      String actual = vars.has(var) ? vars.get(var).asText() : ABSENT;
      Set<String> allowed = e.getValue();
      if (!allowed.contains(actual) && !(allowed.contains(UNSEEN) && !actual.equals(ABSENT))) {
        fail("round " + stats.rounds + " (seed " + SEED + "): connection " + e.getKey() + " holds "
            + abbreviate(actual) + " but may only hold " + allowed.stream().map(CrashSafetyEndToEndTest::abbreviate)
            .toList() + " (every write that exited 0 must be kept exactly)");
      }
      possible.put(e.getKey(), Set.of(actual));
    }
    // no connection appeared that no command wrote
    for (var it = vars.fieldNames(); it.hasNext(); ) {
      String var = it.next();
      assertThat(var).matches("(OPENAI_API_KEY|TESTIDP_ACCESS_TOKEN|TESTIDP_REFRESH_TOKEN)(_OPENAI_C\\d+|_TESTIDP_O\\d+)?");
    }
  }

  /** The backend config.yaml names (a killed migration may or may not have switched it). */
  private static String backend(Cli cli) {
    try {
      Path config = cli.home.resolve("config.yaml");
      return Files.exists(config) && Files.readString(config).contains("postgres") ? "postgres" : "file";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String envSafe(String s) {
    return s.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static String abbreviate(String value) {
    return value.length() <= 24 ? value : value.substring(0, 24) + "...";
  }

  private static Cli copy(Cli cli) {
    Cli c = new Cli(cli.home);
    c.env.putAll(cli.env);
    c.wrapper.addAll(cli.wrapper);
    return c;
  }
}
