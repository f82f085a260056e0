package dev.authsome.proxy.engine;

import java.util.Random;
import java.util.function.Consumer;

/**
 * A time-boxed, seeded fuzz loop (jqwik 1.10 runs on JUnit Platform 1 only and this build is on JUnit 6; Jazzer is not
 * available here). Each target runs for {@code -Dauthsome.fuzz.seconds} (20 by default: CI's budget; raise it for a
 * long run) and prints how many inputs it tried. A failure names the seed and the iteration, so
 * {@code -Dauthsome.fuzz.seed=N} replays it.
 */
final class Fuzz {
  private Fuzz() {
  }

  /** Runs {@code body} with a fresh random per iteration until the time box ends; returns the executions. */
  static long run(String target, Consumer<Random> body) {
    long seconds = Long.getLong("authsome.fuzz.seconds", 20);
    long seed = Long.getLong("authsome.fuzz.seed", System.nanoTime());
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long executions = 0;
    Random seeds = new Random(seed);
    while (System.nanoTime() < deadline) {
      long iterationSeed = seeds.nextLong();
      try {
        body.accept(new Random(iterationSeed));
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("fuzz target " + target + " failed at execution " + executions + " (run seed "
            + seed + ", iteration seed " + iterationSeed + "): " + e, e);
      }
      executions++;
    }
    System.out.println("FUZZ " + target + ": " + executions + " executions in " + seconds + " s (seed " + seed + ")");
    return executions;
  }
}
