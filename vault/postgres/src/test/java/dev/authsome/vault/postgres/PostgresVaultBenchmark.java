package dev.authsome.vault.postgres;

import dev.authsome.core.VaultBackends;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Read and write latency of the postgres backend next to the file backend, on vaults of 100 records, in one warm JVM
 * with the two interleaved round by round (run by {@code bench/vault-postgres.sh}; never part of the test suite).
 * The postgres server is the tests' throw-away cluster on loopback, so the figures are the backend's own cost plus
 * one local round trip; a remote database adds its network round trip to every uncached read and every write.
 *
 * <p>Usage: {@code PostgresVaultBenchmark [rounds=2000]}
 */
public final class PostgresVaultBenchmark {
  private static final int RECORDS = 100;

  private PostgresVaultBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    TestPostgres pg = TestPostgres.shared();
    String db = pg.createDatabase();
    Path pgHome = Files.createTempDirectory("authsome-bench-pg");
    Path fileHome = Files.createTempDirectory("authsome-bench-file");
    try (Vault postgres = new PostgresVaultProvider().open(new VaultContext(pgHome, pg.environment(db), Map.of()));
        Vault cached = new PostgresVaultProvider().open(new VaultContext(pgHome, pg.environment(db), Map.of()));
        Vault file = VaultBackends.find("file").open(new VaultContext(fileHome, Map.of(), Map.of("master_key", "file")))) {
      for (int i = 0; i < RECORDS; i++) {
        postgres.put(key(i), record(i));
        file.put(key(i), record(i));
      }
      cached.revision(); // a watching process (the proxy): listener connected, reads served from the cache
      while (!((PostgresVault) cached).caching()) {
        Thread.sleep(10);
      }
      Vault[] vaults = {file, postgres, cached};
      String[] names = {"file", "postgres", "postgres, cached (watching process)"};
      long[][] gets = new long[3][rounds];
      long[][] puts = new long[2][rounds / 4];
      var random = new Random(7);
      for (int i = 0; i < 300; i++) { // warm-up
        for (Vault v : vaults) {
          v.get(key(random.nextInt(RECORDS)));
        }
      }
      for (int i = 0; i < rounds; i++) {
        for (int v = 0; v < 3; v++) {
          String key = key(random.nextInt(RECORDS));
          long start = System.nanoTime();
          vaults[v].get(key).orElseThrow();
          gets[v][i] = (System.nanoTime() - start) / 1000;
        }
        if (i % 4 == 0) {
          for (int v = 0; v < 2; v++) {
            int n = random.nextInt(RECORDS);
            long start = System.nanoTime();
            vaults[v].put(key(n), record(n + i));
            puts[v][i / 4] = (System.nanoTime() - start) / 1000;
          }
        }
      }
      System.out.printf("%-38s %12s %12s%n", "operation (µs)", "median", "p99");
      for (int v = 0; v < 3; v++) {
        report("get() " + names[v], gets[v]);
      }
      for (int v = 0; v < 2; v++) {
        report("put() " + names[v], puts[v]);
      }
    }
    System.exit(0); // the cluster's shutdown hook stops the server
  }

  private static void report(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    System.out.printf("%-38s %12d %12d%n", what, sorted[sorted.length / 2],
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)]);
  }

  private static String key(int i) {
    return "profile:default:provider" + i + ":connection:default";
  }

  private static String record(int i) {
    return "{\"schema_version\":1,\"access_token\":\"token-" + i + "-" + "x".repeat(600) + "\"}";
  }
}
