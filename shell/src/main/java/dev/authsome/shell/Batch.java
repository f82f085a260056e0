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
 * {@code ";;"}; each gets {@code AUTHSOME_BATCH_INPUT} (an API key for {@code login --stdin}) as standard input, with
 * {@code {n}} replaced by the command line's number (from 0), so that every connection can get a key of its own.
 * Output is thrown away, errors go to standard error; the exit code is the number of command lines that failed (at most 100).
 * With {@code AUTHSOME_BATCH_SHARED_PLUGINS=1} every command line uses one plugin host (opened once, for one home), so
 * that filling a vault costs the writes and not thousands of plugin index reads; the training run leaves it unset, so
 * each command loads what it loads for a user.
 */
public final class Batch {
  private Batch() {
  }

  public static void main(String[] args) {
    System.setProperty("picocli.disable.closures", "true"); // as Main does
    Prewarm.start(); // as Main does (and so that a training run puts it in the cache)
    Map<String, String> env = System.getenv();
    String input = env.getOrDefault("AUTHSOME_BATCH_INPUT", "") + "\n";
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    List<String> line = new ArrayList<>();
    java.util.function.Function<java.nio.file.Path, App.Plugins> plugins = PluginHostBridge::open;
    App.Plugins[] shared = new App.Plugins[1];
    if ("1".equals(env.get("AUTHSOME_BATCH_SHARED_PLUGINS"))) {
      plugins = home -> {
        if (shared[0] == null) {
          shared[0] = PluginHostBridge.open(home);
        }
        App.Plugins host = shared[0];
        return new App.Plugins() {
          @Override
          public dev.authsome.core.spi.ProviderCatalogue catalogue() {
            return host.catalogue();
          }

          @Override
          public dev.authsome.core.spi.FlowRegistry flows() {
            return host.flows();
          }

          @Override
          public List<String> problems() {
            return host.problems();
          }

          @Override
          public void close() {
            // shared by every command line of the batch
          }
        };
      };
    }
    int failed = 0;
    int number = 0;
    for (int i = 0; i <= args.length; i++) {
      if (i == args.length || args[i].equals(";;")) {
        if (!line.isEmpty()) {
          String own = input.replace("{n}", Integer.toString(number++));
          var stdin = new ByteArrayInputStream(own.getBytes(StandardCharsets.UTF_8));
          int code = Main.run(line.toArray(String[]::new), stdin, discard, System.err, env, false, plugins);
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
