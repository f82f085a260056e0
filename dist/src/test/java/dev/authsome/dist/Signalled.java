package dev.authsome.dist;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * An {@code authsome run} whose child traps one signal (prints {@code got SIG} and exits with a chosen status) and
 * INT (prints {@code got INT}), started with its output in files so that the test can signal it while it runs.
 */
record Signalled(Process authsome, Path outFile, Path errFile) {
  static Signalled start(ProxyFixture fixture, Path work, String signal, int status) {
    try {
      Path ready = work.resolve("ready-" + signal);
      Files.deleteIfExists(ready);
      String script = "trap 'echo got " + signal + "; exit " + status + "' " + signal + "; "
          + "trap 'echo got INT; exit 99' INT; touch " + ready + "; while :; do sleep 0.1; done";
      ProcessBuilder pb = fixture.cli.processBuilder("run", "--", "sh", "-c", script);
      ProxyFixture.withDefaultSignals(pb);
      Path out = work.resolve("signalled-" + signal + ".out");
      Path err = work.resolve("signalled-" + signal + ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(ready)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          fail("the child never became ready; stderr: " + Files.readString(err));
        }
        Thread.sleep(50);
      }
      return new Signalled(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits for authsome to exit and returns its status. */
  int finish() throws InterruptedException {
    if (!authsome.waitFor(120, TimeUnit.SECONDS)) {
      authsome.destroyForcibly();
      fail("authsome did not exit after the signal");
    }
    return authsome.exitValue();
  }

  /** Standard output and error of the run. */
  String out() throws IOException {
    return Files.readString(outFile) + Files.readString(errFile);
  }
}
