package dev.authsome.shell;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs several command lines in one JVM, for the build and the benchmarks, never for users: the training run of the
 * bundled runtime's ahead-of-time cache (JEP 483/514; a JDK writes one cache per training process, so the cache holds
 * the classes of all the short commands only if one process runs them all), and filling a vault with thousands of
 * connections through the engine without starting thousands of processes. Command lines are separated by
 * {@code ";;"}; each gets {@code AUTHSOME_BATCH_INPUT} (an API key for {@code login --stdin}) as standard input.
 * Output is thrown away, errors go to standard error; the exit code is the number of command lines that failed (at most 100).
 */
public final class Batch {
  private Batch() {
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    String input = env.getOrDefault("AUTHSOME_BATCH_INPUT", "") + "\n";
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    List<String> line = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i <= args.length; i++) {
      if (i == args.length || args[i].equals(";;")) {
        if (!line.isEmpty()) {
          var stdin = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
          int code = Main.run(line.toArray(String[]::new), stdin, discard, System.err, env, false,
              PluginHostBridge::open);
          failed += code == 0 ? 0 : 1;
        }
        line.clear();
      } else {
        line.add(args[i]);
      }
    }
    System.exit(Math.min(failed, 100));
  }
}
