package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.VaultLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * Named locks shared by threads and processes: {@code $AUTHSOME_HOME/vault/locks/<name>.lock}, held with an OS file
 * lock. The same approach as the file backend (kept separate so that the backends do not depend on each other). A
 * file lock belongs to the whole JVM, so threads of one process first queue on a semaphore per name.
 */
final class FileLocks {
  private static final ConcurrentMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path dir;

  FileLocks(Path dir) {
    this.dir = dir;
  }

  VaultLock lock(String name) {
    Path file = dir.resolve(fileName(name));
    Semaphore local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Semaphore(1, true));
    local.acquireUninterruptibly();
    try {
      SecureFiles.createPrivateDirectories(dir);
      FileChannel channel = FileChannel.open(file,
          Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SecureFiles.privateFile());
      FileLock held;
      try {
        held = channel.lock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      return () -> {
        try {
          held.release();
          channel.close();
        } catch (IOException e) {
          throw AuthsomeException.vault("cannot release the vault lock " + file + ": " + e.getMessage(), e);
        } finally {
          local.release();
        }
      };
    } catch (IOException e) {
      local.release();
      throw AuthsomeException.vault("cannot take the vault lock " + file + ": " + e.getMessage()
          + "; check the permissions of " + dir, e);
    } catch (RuntimeException e) {
      local.release();
      throw e;
    }
  }

  /** A file name that is safe on every platform and unique per lock name. */
  static String fileName(String name) {
    StringBuilder safe = new StringBuilder();
    for (char c : name.toCharArray()) {
      safe.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' ? c : '_');
      if (safe.length() == 60) {
        break;
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return safe + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".lock";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
