package dev.authsome.vault.file;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Timing of the file vault on a vault of 100 records (run by {@code bench/vault-file.sh}; never part of the test
 * suite, and no test asserts a time). Prints medians and 90th percentiles of:
 *
 * <ul>
 *   <li>{@code get()} and {@code put()} in a warm JVM;
 *   <li>a cold {@code get()}: a new JVM that opens the vault and reads one record, timed inside the JVM from
 *       {@code main} to the value (what the vault adds to a short command), as the child's whole wall time, and as
 *       the CPU time the child used (steadier than wall time on a busy machine).
 * </ul>
 *
 * <p>Usage: {@code FileVaultBenchmark [gets=500] [puts=100] [coldRuns=11]}; {@code FileVaultBenchmark --cold HOME}
 * is the child.
 */
public final class FileVaultBenchmark {

  private static final int RECORDS = 100;

  private FileVaultBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--cold")) {
      long start = System.nanoTime();
      try (Vault vault = open(Path.of(args[1]))) {
        vault.get(key(RECORDS / 2)).orElseThrow();
      }
      long inside = (System.nanoTime() - start) / 1000;
      long cpu = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() / 1000;
      System.out.println(inside + " " + cpu);
      return;
    }
    int gets = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int puts = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int coldRuns = args.length > 2 ? Integer.parseInt(args[2]) : 11;

    Path home = Files.createTempDirectory("authsome-vault-bench");
    try {
      var random = new Random(7);
      try (Vault vault = open(home)) {
        for (int i = 0; i < RECORDS; i++) {
          vault.put(key(i), record(i));
        }
        System.out.printf("vault: %d records, records.json %d bytes, %s%n", RECORDS,
            Files.size(home.resolve("vault/records.json")), vault.describe());

        for (int i = 0; i < 200; i++) { // warm-up: let the JIT compile the read path
          vault.get(key(random.nextInt(RECORDS)));
        }
        long[] getMicros = new long[gets];
        for (int i = 0; i < gets; i++) {
          String key = key(random.nextInt(RECORDS));
          long start = System.nanoTime();
          vault.get(key).orElseThrow();
          getMicros[i] = (System.nanoTime() - start) / 1000;
        }
        report("get() warm", getMicros);

        long[] putMicros = new long[puts];
        for (int i = 0; i < puts; i++) {
          int n = random.nextInt(RECORDS);
          long start = System.nanoTime();
          vault.put(key(n), record(n + i));
          putMicros[i] = (System.nanoTime() - start) / 1000;
        }
        report("put() warm (fsync of file and folder included)", putMicros);
      }

      long[] coldInside = new long[coldRuns];
      long[] coldWall = new long[coldRuns];
      long[] coldCpu = new long[coldRuns];
      for (int i = 0; i < coldRuns; i++) {
        long start = System.nanoTime();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), FileVaultBenchmark.class.getName(), "--cold",
            home.toString()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes()).strip();
        if (child.waitFor() != 0) {
          throw new IllegalStateException("cold run failed: " + out);
        }
        coldWall[i] = (System.nanoTime() - start) / 1000;
        String[] times = out.split(" ");
        coldInside[i] = Long.parseLong(times[0]);
        coldCpu[i] = Long.parseLong(times[1]);
      }
      report("get() cold, in a new JVM: open + first get (class loading, JCE, Jackson)", coldInside);
      report("get() cold, the new JVM's whole wall time (JVM start + the above)", coldWall);
      report("get() cold, CPU time the new JVM used until the value (all threads)", coldCpu);
      Path loadavg = Path.of("/proc/loadavg");
      if (Files.isReadable(loadavg)) {
        System.out.printf("load average while measuring (1, 5, 15 min): %s on %d cores%n",
            String.join(" ", Arrays.copyOf(Files.readString(loadavg).split(" "), 3)),
            Runtime.getRuntime().availableProcessors());
      }
    } finally {
      deleteTree(home);
    }
  }

  private static Vault open(Path home) {
    return new FileVaultProvider().open(new VaultContext(home, Map.of(), Map.of()));
  }

  private static String key(int i) {
    return "profile:default:provider" + i + ":connection:default";
  }

  /** About the size of a real OAuth connection record. */
  private static String record(int i) {
    return "{\"schema_version\":2,\"provider\":\"provider" + i + "\",\"profile\":\"default\",\"connection_name\":"
        + "\"default\",\"auth_type\":\"oauth2\",\"status\":\"connected\",\"scopes\":[\"repo\",\"read:user\"],"
        + "\"access_token\":\"gho_" + "x".repeat(36) + i + "\",\"refresh_token\":\"ghr_" + "y".repeat(60)
        + "\",\"token_type\":\"Bearer\",\"expires_at\":\"2026-11-27T06:00:00Z\",\"metadata\":{}}";
  }

  private static void report(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    System.out.printf("%-75s median %8.3f ms   p90 %8.3f ms   (n=%d)%n", what, sorted[sorted.length / 2] / 1000.0,
        sorted[(int) (sorted.length * 0.9)] / 1000.0, sorted.length);
  }

  private static void deleteTree(Path root) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
