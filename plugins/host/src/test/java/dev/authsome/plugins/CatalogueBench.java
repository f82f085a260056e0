package dev.authsome.plugins;

import dev.authsome.plugins.internal.HostState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Measures what a command pays for the plugin host: open it and list every provider, in a fresh JVM each time (the
 * script {@code bench/catalogue-bench.sh} runs it). Modes:
 * <ul>
 *   <li>{@code setup DIR N}: writes N provider jars into {@code DIR/bundled} (and the prebuilt index into
 *       {@code DIR/bundled-indexed}, a copy of them)</li>
 *   <li>{@code cold DIR}: a fresh home, no index anywhere: every jar is opened</li>
 *   <li>{@code prebuilt DIR}: a fresh home, the bundled folder carries its prebuilt index</li>
 *   <li>{@code warm DIR}: the home index exists (run {@code cold} first)</li>
 * </ul>
 * Prints one line: mode, jar count, providers listed, wall and CPU milliseconds for open + list, jars opened.
 */
public final class CatalogueBench {
  private CatalogueBench() {
  }

  public static void main(String[] args) throws IOException {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    if (mode.equals("setup")) {
      int count = Integer.parseInt(args[2]);
      for (String folder : new String[] {"bundled", "bundled-indexed"}) {
        for (int i = 0; i < count; i++) {
          String name = String.format("bench%03d", i);
          TestJars.provider(name, TestJars.apiKeyProvider(name, "Bench " + i))
              .writeTo(dir.resolve(folder).resolve("provider-" + name + "-0.1.0.jar"));
        }
      }
      PluginHost.writeBundledIndex(dir.resolve("bundled-indexed"));
      return;
    }
    Path home = dir.resolve("home-" + mode);
    Path bundled = dir.resolve(mode.equals("prebuilt") ? "bundled-indexed" : "bundled");
    if (!mode.equals("warm")) {
      deleteTree(home);
      deleteTree(dir.resolve("home-warm"));
    }
    if (mode.equals("cold")) {
      // the next warm run reuses the index this run writes
      home = dir.resolve("home-warm");
    }
    // thread CPU time as well as wall time: on a shared, loaded machine wall time mostly measures the neighbours
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    int listed;
    try (PluginHost host = PluginHost.open(PluginHostConfig.of(home, bundled))) {
      listed = host.catalogue().list().size();
    }
    long micros = (System.nanoTime() - start) / 1000;
    long cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1000;
    System.out.printf("%s jars=%d listed=%d ms=%.1f cpu_ms=%.1f opened=%d%n", mode, countJars(bundled), listed,
        micros / 1000.0, cpuMicros / 1000.0, HostState.jarsOpened());
  }

  private static long countJars(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.toString().endsWith(".jar")).count();
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
