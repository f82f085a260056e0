package dev.authsome.vault.keychain;

import dev.authsome.core.VaultBackends;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Latency of the keychain backend (real Secret Service) next to the file backend, in one warm JVM, on vaults of 20
 * records, the two measured interleaved so that machine load hits both alike (run by {@code bench/vault-keychain.sh};
 * never part of the test suite, and no test asserts a time). Prints median and 90th percentile of {@code get()},
 * {@code put()}, and open + one get + close (what a short command pays: for the keychain a D-Bus connection and a
 * Diffie-Hellman session).
 *
 * <p>Usage: {@code KeychainVaultBenchmark [gets=200] [puts=50] [opens=20]}
 */
public final class KeychainVaultBenchmark {
  private static final int RECORDS = 20;
  private static final String VALUE = "{\"schema_version\":2,\"provider\":\"openai\",\"auth_type\":\"api_key\","
      + "\"api_key\":\"sk-bench000000000000000000000000000000000000\",\"status\":\"connected\"}";

  private KeychainVaultBenchmark() {}

  public static void main(String[] args) throws Exception {
    int gets = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int puts = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int opens = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Map<String, String> env = new HashMap<>(System.getenv());
    Path keychainHome = Files.createTempDirectory("bench-keychain");
    Path fileHome = Files.createTempDirectory("bench-file");
    Supplier<Vault> keychain = () -> new KeychainVaultProvider().open(new VaultContext(keychainHome, env, Map.of()));
    Supplier<Vault> file = () -> VaultBackends.find("file")
        .open(new VaultContext(fileHome, env, Map.of("master_key", "file")));

    long[][] get = new long[2][gets];
    long[][] put = new long[2][puts];
    long[][] open = new long[2][opens];
    try (Vault k = keychain.get(); Vault f = file.get()) {
      for (int i = 0; i < RECORDS; i++) {
        k.put(key(i), VALUE);
        f.put(key(i), VALUE);
      }
      Vault[] vaults = {k, f};
      for (int i = 0; i < gets; i++) {
        for (int v = 0; v < 2; v++) {
          long start = System.nanoTime();
          vaults[v].get(key(i % RECORDS)).orElseThrow();
          get[v][i] = System.nanoTime() - start;
        }
      }
      for (int i = 0; i < puts; i++) {
        for (int v = 0; v < 2; v++) {
          long start = System.nanoTime();
          vaults[v].put(key(i % RECORDS), VALUE.replace("connected", "connected" + i));
          put[v][i] = System.nanoTime() - start;
        }
      }
      k.keys("").forEach(k::delete);
    }
    @SuppressWarnings("unchecked")
    Supplier<Vault>[] suppliers = new Supplier[] {keychain, file};
    try (Vault k = keychain.get(); Vault f = file.get()) {
      k.put(key(0), VALUE);
      f.put(key(0), VALUE);
    }
    for (int i = 0; i < opens; i++) {
      for (int v = 0; v < 2; v++) {
        long start = System.nanoTime();
        try (Vault vault = suppliers[v].get()) {
          vault.get(key(0)).orElseThrow();
        }
        open[v][i] = System.nanoTime() - start;
      }
    }
    try (Vault k = keychain.get()) {
      k.delete(key(0));
    }
    System.out.printf("%-28s %14s %14s%n", "operation (" + RECORDS + " records)", "keychain", "file");
    row("get()", get);
    row("put()", put);
    row("open + get + close", open);
    System.out.println("median / p90 in ms; keychain = " + describe(keychain));
  }

  private static String describe(Supplier<Vault> keychain) {
    try (Vault k = keychain.get()) {
      return k.describe();
    }
  }

  private static void row(String name, long[][] samples) {
    System.out.printf("%-28s %14s %14s%n", name, stats(samples[0]), stats(samples[1]));
  }

  private static String stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("%.2f / %.2f", sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6);
  }

  private static String key(int i) {
    return "profile:default:p" + i + ":connection:default";
  }
}
