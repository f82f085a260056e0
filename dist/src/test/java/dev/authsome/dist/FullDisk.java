package dev.authsome.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small file system that a test can fill: a 2 MiB tmpfs, which needs root (CI runs the tests as root). Without
 * root, {@link #mount} returns the reason and the test skips (or fails under {@code AUTHSOME_TEST_REQUIRE_ALL=1}).
 */
final class FullDisk {
  private FullDisk() {
  }

  /** Mounts a 2 MiB tmpfs on {@code dir}; returns null, or why it could not. */
  static String mount(Path dir) throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "a full-disk test needs a small file system, and mounting one (tmpfs) needs root; run the tests as root";
    }
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return "cannot mount a small tmpfs for the full-disk test (" + out.strip() + ")";
    }
    return null;
  }

  /** Writes a filler file until the file system is full. */
  static void fill(Path dir) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // ENOSPC: the disk is full, as intended
    }
  }

  static void unmount(Path dir) throws IOException, InterruptedException {
    new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    Files.deleteIfExists(dir);
  }
}
