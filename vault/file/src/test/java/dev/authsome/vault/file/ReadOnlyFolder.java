package dev.authsome.vault.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a folder refuse new entries for the length of a test. Mode 0500 is enough for a normal user; root ignores
 * modes (CI runs as root), so there the folder is made immutable with {@code chattr +i}.
 */
final class ReadOnlyFolder implements AutoCloseable {

  private final Path dir;
  private final Set<PosixFilePermission> mode;
  private final boolean immutable;

  private ReadOnlyFolder(Path dir, Set<PosixFilePermission> mode, boolean immutable) {
    this.dir = dir;
    this.mode = mode;
    this.immutable = immutable;
  }

  static ReadOnlyFolder of(Path dir) throws IOException, InterruptedException {
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    if (!canCreateIn(dir)) {
      return new ReadOnlyFolder(dir, mode, false);
    }
    Files.setPosixFilePermissions(dir, mode);
    if (run("chattr", "+i", dir.toString()) && !canCreateIn(dir)) {
      return new ReadOnlyFolder(dir, mode, true);
    }
    run("chattr", "-i", dir.toString());
    String reason = "cannot make " + dir + " read-only: mode 0500 does not stop this user and chattr +i failed";
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      throw new IllegalStateException(reason);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }

  @Override
  public void close() throws IOException {
    if (immutable) {
      try {
        run("chattr", "-i", dir.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while making " + dir + " writable again", e);
      }
    }
    Files.setPosixFilePermissions(dir, mode);
  }

  private static boolean canCreateIn(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return false; // chattr is not installed
    }
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
