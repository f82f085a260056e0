package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an OS tool (the macOS {@code security} command) with input on stdin, never in argv, and a deadline. The seam
 * at which the macOS code path is tested with the OS faked.
 */
interface CommandRunner {

  /** The outcome of one run. */
  record Result(int exitCode, String stdout, String stderr) {}

  Result run(List<String> command, String stdin);

  /** Runs real processes, killing any that outlive {@code timeout}. */
  static CommandRunner processes(Duration timeout) {
    return (command, stdin) -> {
      Process process;
      try {
        process = new ProcessBuilder(command).start();
      } catch (IOException e) {
        throw AuthsomeException.vault("cannot run " + command.get(0) + " (" + e.getMessage()
            + "): the macOS keychain needs /usr/bin/security; " + DBusSession.FIX, e);
      }
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the tool exited without reading its input; its exit code and stderr say why
      }
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw AuthsomeException.vault(command.get(0) + " did not finish within " + timeout.toSeconds()
              + " s (is the keychain waiting for a password dialog?): unlock it with security unlock-keychain, or "
              + DBusSession.FIX);
        }
        return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw AuthsomeException.vault("interrupted while running " + command.get(0));
      }
    };
  }

  private static byte[] drain(InputStream stream) {
    try (stream; ByteArrayOutputStream buffer = new ByteArrayOutputStream()) {
      stream.transferTo(buffer);
      return buffer.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
