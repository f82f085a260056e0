package dev.authsome.dist;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code bin/authsome} as a child process against one home, the way a user or script does. Each run
 * has a generous safety limit (a hung process fails the test instead of hanging the build); nothing asserts on time.
 */
final class Cli {
  static final Path DIST = Path.of(System.getProperty("authsome.dist", "target/authsome")).toAbsolutePath();
  static final Path LAUNCHER = DIST.resolve("bin/authsome");
  private static final long SAFETY_LIMIT_SECONDS = 180;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Skips (with the reason printed) when the distribution lacks a part these tests drive: the file vault, the plugin
   * host, the api_key flow or the openai provider. With {@code AUTHSOME_TEST_REQUIRE_ALL=1} a missing part fails.
   */
  static void assumeComplete() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(LAUNCHER)) {
      missing.add(LAUNCHER.toString());
    }
    if (!has(DIST.resolve("lib"), "vault-file")) {
      missing.add("the file vault backend in lib/");
    }
    if (!has(DIST.resolve("lib"), "plugin-host")) {
      missing.add("the plugin host in lib/");
    }
    if (!has(DIST.resolve("plugins"), "api-key") && !has(DIST.resolve("plugins"), "api_key")) {
      missing.add("the api_key flow plugin in plugins/");
    }
    if (!has(DIST.resolve("plugins"), "openai")) {
      missing.add("the openai provider plugin in plugins/");
    }
    if (missing.isEmpty()) {
      return;
    }
    String reason = "the distribution at " + DIST + " lacks " + String.join(", ", missing);
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      fail(reason);
    }
    System.out.println("SKIPPED: " + reason);
    org.junit.jupiter.api.Assumptions.abort(reason);
  }

  private static boolean has(Path dir, String part) {
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().contains(part));
    } catch (IOException e) {
      return false;
    }
  }

  final Path home;
  /** The launcher to run: the built distribution's, or that of a copy a test made (without runtime/, unpacked). */
  Path launcher = LAUNCHER;
  final Map<String, String> env = new HashMap<>();
  final List<String> wrapper = new ArrayList<>();
  /** Variables of the machine running the tests that the process must not see at all. */
  final java.util.Set<String> unset = new java.util.HashSet<>();

  Cli(Path home) {
    this.home = home;
    env.put("AUTHSOME_HOME", home.toString());
    // No session bus unless a test brings its own keyring (KeyringSession): a new file vault would otherwise keep its
    // master key in the keychain of whoever runs the build, and a test run as another user could not reach it.
    env.put("DBUS_SESSION_BUS_ADDRESS", "");
    env.put("XDG_RUNTIME_DIR", "");
    // a copied install on a system Java writes its class-data archive in the user's cache: not the tester's own
    env.put("XDG_CACHE_HOME", TEST_CACHE.toString());
  }

  /** The user cache of every process these tests start (one folder for the run, removed at its end). */
  static final Path TEST_CACHE = testCache();

  private static Path testCache() {
    try {
      Path dir = Files.createTempDirectory("authsome-it-cache");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          // a temporary folder left behind
        }
      }));
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The outcome of one run. */
  record Result(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  Result run(String... args) {
    return feed(null, args);
  }

  /** Runs with {@code stdin} (null: an empty pipe that is closed at once) as standard input. */
  Result feed(String stdin, String... args) {
    return start(stdin, true, args).finish();
  }

  /** Starts without waiting; {@code closeStdin=false} keeps standard input an open pipe with nothing in it. */
  Running start(String stdin, boolean closeStdin, String... args) {
    ProcessBuilder pb = processBuilder(args);
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      OutputStream in = p.getOutputStream();
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      if (closeStdin) {
        in.close();
      }
      return new Running(p, out, err, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How {@link #start} starts {@code bin/authsome ARGS}, for tests that redirect or stream its output themselves. */
  ProcessBuilder processBuilder(String... args) {
    List<String> command = new ArrayList<>(wrapper);
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // no AUTHSOME_* settings and no browser or display from the machine running the tests
    pb.environment().keySet().removeIf(k -> k.startsWith("AUTHSOME_") || k.equals("BROWSER") || k.equals("DISPLAY")
        || k.equals("WAYLAND_DISPLAY") || unset.contains(k));
    pb.environment().putAll(env);
    return pb;
  }

  /** A started process. */
  record Running(Process process, CompletableFuture<String> out, CompletableFuture<String> err, OutputStream in) {
    Result finish() {
      try {
        if (!process.waitFor(SAFETY_LIMIT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail("authsome did not finish within the safety limit of " + SAFETY_LIMIT_SECONDS + " s; stderr so far: "
              + err.getNow(""));
        }
        Result r = new Result(process.exitValue(), out.get(), err.get());
        in.close();
        return r;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private static CompletableFuture<String> drain(java.io.InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s) {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  /** Every regular file under the home. */
  List<Path> files() throws IOException {
    try (var walk = Files.walk(home)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
