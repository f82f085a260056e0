package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file vault with 10,000 connections ({@code -Dauthsome.scale.connections=N} for another size), filled through
 * the engine in one JVM (the distribution's {@code Batch} runner, each connection a {@code login --stdin} with a key of
 * its own), then used through the launcher like any home: {@code get}, {@code export}, {@code list}, {@code login} and
 * {@code logout} give the right answers for every connection they touch. Timings are printed as MEASURE lines (the
 * benchmark is bench/cli-latency.sh), never asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaleEndToEndTest {
  static final int CONNECTIONS = Integer.getInteger("authsome.scale.connections", 10_000);

  @TempDir static Path home;
  Cli cli;

  @BeforeAll
  void fill() throws Exception {
    Cli.assumeComplete();
    cli = new Cli(home);
    Path java = Files.isExecutable(Cli.DIST.resolve("runtime/bin/java")) ? Cli.DIST.resolve("runtime/bin/java")
        : Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC",
        "-Dauthsome.app.home=" + Cli.DIST, "-cp", Cli.DIST.resolve("lib") + "/*", "dev.authsome.shell.Batch"));
    for (int n = 0; n < CONNECTIONS; n++) {
      if (n > 0) {
        command.add(";;");
      }
      command.addAll(List.of("login", "openai", "--connection", "c" + n, "--stdin"));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolveSibling(home.getFileName() + "-fill.log").toFile());
    pb.environment().putAll(cli.env);
    pb.environment().put("AUTHSOME_BATCH_INPUT", "sk-scale{n}-abcdefghijklmnopqrstuvwxyz0123456789");
    pb.environment().put("AUTHSOME_BATCH_SHARED_PLUGINS", "1");
    long started = System.nanoTime();
    Process fill = pb.start();
    assertThat(fill.waitFor(40, TimeUnit.MINUTES)).as("filling the vault").isTrue();
    assertThat(fill.exitValue()).as("command lines that failed while filling; see " + home + "-fill.log").isZero();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println("MEASURE scale: filled " + CONNECTIONS + " connections through the engine in " + millis
        + " ms (" + (millis * 1000 / CONNECTIONS) + " us each)");
  }

  /** The key Batch gave connection c{n}: AUTHSOME_BATCH_INPUT with {n} replaced by the line number. */
  static String batchKey(int n) {
    return "sk-scale" + n + "-abcdefghijklmnopqrstuvwxyz0123456789";
  }

  @Test
  void getAndExport_answerForAnyConnection_withItsOwnKey() {
    Random random = new Random(CONNECTIONS);
    for (int i = 0; i < 5; i++) {
      int n = random.nextInt(CONNECTIONS);
      long started = System.nanoTime();
      Result get = cli.run("get", "openai", "--connection", "c" + n, "--field", "api_key", "--show-secret");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(get.exit()).as(get.toString()).isZero();
      assertThat(get.out().strip()).isEqualTo(batchKey(n));
      System.out.println("MEASURE scale: get of c" + n + " among " + CONNECTIONS + " connections: " + millis + " ms");
    }
    Result export = cli.run("export", "openai", "--connection", "c" + (CONNECTIONS - 1), "--format", "json");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(batchKey(CONNECTIONS - 1));
  }

  @Test
  void list_showsEveryConnection_once() {
    long started = System.nanoTime();
    Result list = cli.run("list", "--json");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(list.exit()).as(list.toString()).isZero();
    JsonNode openai = null;
    for (JsonNode p : list.json().get("bundled")) {
      if (p.get("name").asText().equals("openai")) {
        openai = p;
      }
    }
    assertThat(openai).isNotNull();
    Set<String> names = new HashSet<>();
    for (JsonNode c : openai.get("connections")) {
      assertThat(c.get("status").asText()).isEqualTo("connected");
      names.add(c.get("connection_name").asText());
    }
    assertThat(names).hasSize(CONNECTIONS).contains("c0", "c" + (CONNECTIONS - 1));
    System.out.println("MEASURE scale: list --json with " + CONNECTIONS + " connections: " + millis + " ms");

    started = System.nanoTime();
    Result table = cli.run("list");
    millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(table.exit()).as(table.toString()).isZero();
    assertThat(table.out()).contains(" c0 ").contains(" c" + (CONNECTIONS - 1) + " ");
    System.out.println("MEASURE scale: list with " + CONNECTIONS + " connections: " + millis + " ms");
  }

  /**
   * {@code list} keeps what it shows in {@code cache/listing.json} (0600, no secret) under the vault's revision and
   * reads that file instead of 10,000 records while the vault is unchanged. A forged connection in the file proves
   * when it is used; any write by another process, or a write cut off ({@code vault/writing} left behind), makes the
   * listing read the records again.
   */
  @Test
  void list_usesItsCacheOnlyWhileTheVaultIsUnchanged() throws Exception {
    Path cache = home.resolve("cache/listing.json");
    Result first = cli.run("list", "--json");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(cache).isRegularFile();
    assertThat(Files.getPosixFilePermissions(cache))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String text = Files.readString(cache);
    assertThat(text).doesNotContain("sk-scale").doesNotContain("\"api_key\":").doesNotContain("\"access_token\":");
    assertThat(cli.run("list", "--json").out()).as("the same listing from the file").isEqualTo(first.out());

    // a connection that exists only in the file: listed while the vault is at the file's revision
    // (not the first connection: that one is decrypted on every use, to catch a wrong key)
    String forged = "c" + (CONNECTIONS / 2);
    Files.writeString(cache, text.replace("\"connection_name\":\"" + forged + "\"", "\"connection_name\":\"ghost\""));
    assertThat(connectionNames(cli.run("list", "--json"))).contains("ghost").doesNotContain(forged);
    // a write cut off before it moved the revision: the file is not trusted
    Files.writeString(home.resolve("vault/writing"), "");
    assertThat(connectionNames(cli.run("list", "--json"))).contains(forged).doesNotContain("ghost");

    // writes by other processes show at once
    Result login = cli.feed("sk-listed0123456789abcdefghijklmnop\n", "login", "openai", "--connection", "listed",
        "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(home.resolve("vault/writing")).as("a completed write clears the mark").doesNotExist();
    assertThat(connectionNames(cli.run("list", "--json"))).contains("listed", "c0").doesNotContain("ghost")
        .hasSize(CONNECTIONS + 1);
    assertThat(connectionNames(cli.run("list", "--json"))).as("from the file again").contains("listed")
        .hasSize(CONNECTIONS + 1);
    assertThat(cli.run("logout", "openai", "--connection", "listed").exit()).isZero();
    assertThat(connectionNames(cli.run("list", "--json"))).doesNotContain("listed").hasSize(CONNECTIONS);

    // the file is plaintext: another key file (same path, vault unchanged) still fails as reading the records does
    Path keyFile = home.resolve("vault/master.key");
    String key = Files.readString(keyFile);
    try {
      JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(key);
      byte[] other = new byte[32];
      new java.security.SecureRandom().nextBytes(other);
      ((com.fasterxml.jackson.databind.node.ObjectNode) parsed).put("key",
          java.util.Base64.getEncoder().encodeToString(other));
      Files.writeString(keyFile, parsed.toString());
      Result wrongKey = cli.run("list");
      assertThat(wrongKey.exit()).as(wrongKey.toString()).isEqualTo(7);
      assertThat(wrongKey.err()).contains("does not decrypt").contains("master key from key file " + keyFile);
    } finally {
      Files.writeString(keyFile, key);
    }
    assertThat(connectionNames(cli.run("list", "--json"))).hasSize(CONNECTIONS);
  }

  private static List<String> connectionNames(Result list) {
    assertThat(list.exit()).as(list.toString()).isZero();
    List<String> names = new ArrayList<>();
    for (JsonNode p : list.json().get("bundled")) {
      if (p.get("name").asText().equals("openai")) {
        p.get("connections").forEach(c -> names.add(c.get("connection_name").asText()));
      }
    }
    return names;
  }

  @Test
  void loginAndLogout_changeOnlyTheirConnection() {
    long started = System.nanoTime();
    Result login = cli.feed("sk-oneMore0123456789abcdefghijklmnop\n", "login", "openai", "--connection", "extra",
        "--stdin");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(login.exit()).as(login.toString()).isZero();
    System.out.println("MEASURE scale: login of one more connection beside " + CONNECTIONS + ": " + millis + " ms");
    assertThat(cli.run("get", "openai", "--connection", "extra", "--field", "api_key", "--show-secret").out().strip())
        .isEqualTo("sk-oneMore0123456789abcdefghijklmnop");

    Result logout = cli.run("logout", "openai", "--connection", "extra");
    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(cli.run("get", "openai", "--connection", "extra").exit()).isEqualTo(5);
    assertThat(cli.run("get", "openai", "--connection", "c1", "--field", "api_key", "--show-secret").out().strip())
        .isEqualTo(batchKey(1));
  }
}
