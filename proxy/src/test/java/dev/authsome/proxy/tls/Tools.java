package dev.authsome.proxy.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs real command-line tools (openssl, curl) for the tests, skipping with a printed reason when one is absent. */
public final class Tools {
  private Tools() {}

  /** The output and exit status of a finished command. */
  public record Result(int exit, String output) {}

  /** Skips the calling test, saying why, when {@code tool} is not on the PATH. */
  public static void require(String tool) {
    boolean found = List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    if (!found) {
      System.out.println("SKIPPED: '" + tool + "' is not on the PATH, so this check cannot run here");
    }
    Assumptions.assumeTrue(found, tool + " is not on the PATH");
  }

  /** Runs {@code command} with {@code env} added to (or, with a null value, removed from) this process's. */
  public static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish within 60 s; output: " + out);
    }
    return new Result(p.exitValue(), out);
  }

  public static Result run(String... command) throws IOException, InterruptedException {
    return run(List.of(command), Map.of());
  }
}
