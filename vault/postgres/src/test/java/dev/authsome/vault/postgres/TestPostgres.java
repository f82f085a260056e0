package dev.authsome.vault.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests: a throw-away cluster in a temporary folder on a free loopback port, started
 * once per JVM from Debian's {@code /usr/lib/postgresql/VERSION/bin} and removed when the JVM ends. PostgreSQL refuses
 * to run as root, so as root the cluster belongs to the {@code postgres} user (through {@code runuser}). TCP logins
 * need the superuser's password ({@link #PASSWORD}, scram-sha-256), so the tests exercise {@code PGPASSWORD}.
 *
 * <p>Without an installed server the tests skip with the reason printed; with {@code AUTHSOME_TEST_REQUIRE_ALL=1}
 * they fail instead.
 */
public final class TestPostgres {
  public static final String USER = "postgres";
  public static final String PASSWORD = "pg-test-only-password";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static TestPostgres shared;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private final boolean root;

  private TestPostgres(Path bin, Path dir, int port, boolean root) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
    this.root = root;
  }

  /** The server of this JVM, started on first use; skips (or fails, when required) without PostgreSQL. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      Path bin = findBin();
      try {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("authsome-pg-");
        var server = new TestPostgres(bin, dir, freePort(), root);
        server.init();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        shared = server;
      } catch (IOException e) {
        missing("cannot start PostgreSQL from " + bin + ": " + e.getMessage());
      }
    }
    return shared;
  }

  /** Skips the test with {@code reason} printed, or fails it when {@code AUTHSOME_TEST_REQUIRE_ALL=1}. */
  public static void missing(String reason) {
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      Assertions.fail(reason + " (AUTHSOME_TEST_REQUIRE_ALL=1; install it: apt-get install -y postgresql)");
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  private static Path findBin() {
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        var found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparing(b -> versionOf(b.getParent())));
        if (found.isPresent()) {
          return found.get();
        }
      } catch (IOException e) {
        // reported below
      }
    }
    missing("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)");
    throw new AssertionError("unreachable");
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void init() throws IOException {
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n");
    if (root) {
      exec(List.of("chown", "-R", USER + ":" + USER, dir.toString()), 30);
      exec(List.of("chmod", "0700", dir.toString()), 30);
    }
    exec(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth-local=trust",
        "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), 120);
  }

  /** Starts the server (again, after {@link #stop}). */
  public void start() {
    exec(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
        "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off -c max_connections=200",
        "-w", "-t", "60", "start"), 90);
  }

  /** Stops the server, fast (open sessions are ended). */
  public void stop() {
    exec(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), 90);
  }

  /** Stops and starts the server, as an operator's restart does. */
  public void restart() {
    stop();
    start();
  }

  private void destroy() {
    try {
      exec(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 30);
    } catch (RuntimeException e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind
    }
  }

  public int port() {
    return port;
  }

  /** A new, empty database; returns its name. */
  public String createDatabase() {
    String name = "vault_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** psql's form of the URL of {@code database}: no password, as authsome demands. */
  public String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** The environment a vault (or an authsome process) needs to reach {@code database}. */
  public Map<String, String> environment(String database) {
    return Map.of("AUTHSOME_VAULT_URL", url(database), "PGPASSWORD", PASSWORD);
  }

  /** A superuser connection to {@code database}, for the tests' own inspection. */
  public Connection connect(String database) throws SQLException {
    var props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
  }

  /** {@code pg_dump} of {@code database}, plain SQL. */
  public String dump(String database) {
    return exec(List.of(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
        USER, database), 120, Map.of("PGPASSWORD", PASSWORD));
  }

  private List<String> asPostgres(String... command) {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", USER, "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private String exec(List<String> command, int seconds) {
    return exec(command, seconds, Map.of());
  }

  private String exec(List<String> command, int seconds, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      var out = new java.util.concurrent.CompletableFuture<String>();
      Thread drain = new Thread(() -> {
        try {
          out.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          out.complete("");
        }
      });
      drain.start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s");
      }
      drain.join();
      String text = out.getNow("");
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
