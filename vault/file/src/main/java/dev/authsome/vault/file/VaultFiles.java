package dev.authsome.vault.file;

import dev.authsome.core.AuthsomeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File-system helpers of the file backend: private folders and files, and durable atomic replacement. */
final class VaultFiles {

  private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  private VaultFiles() {
  }

  /** Creates {@code dir} and any missing parent, each new one 0700; existing folders keep their mode. */
  static void createPrivateDirectories(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createPrivateDirectories(parent);
    }
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      if (posix(dir.getParent())) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        // the umask may have removed bits we need; it can never have added any
        Files.setPosixFilePermissions(dir, DIR_MODE);
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /**
   * Replaces {@code target} with {@code content} so that a reader sees the old or the new file, never a mix, and the
   * new one survives a crash: temp file in the same folder (0600), fsync, atomic rename, fsync of the folder.
   */
  static void replaceAtomically(Path target, byte[] content) throws IOException {
    replace(target, content, true);
  }

  /**
   * Replaces {@code target} atomically (a reader sees the old or the new content) without forcing it to disk: for
   * hints that may be lost in a crash, such as the vault's revision token.
   */
  static void replaceUnsynced(Path target, byte[] content) throws IOException {
    replace(target, content, false);
  }

  private static void replace(Path target, byte[] content, boolean durable) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    boolean posix = posix(dir);
    FileAttribute<?>[] attributes =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (durable) {
          channel.force(true);
        }
      }
      if (posix) {
        Files.setPosixFilePermissions(temp, FILE_MODE);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    if (durable) {
      syncDirectory(dir);
    }
  }

  /** Makes a rename or a new file in {@code dir} durable. */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms (Windows) and file systems cannot open or sync a folder; the rename is still atomic there.
    }
  }

  /** Sets {@code file} to 0600 where the file system has POSIX modes. */
  static void makePrivate(Path file) throws IOException {
    if (posix(file.toAbsolutePath().getParent())) {
      Files.setPosixFilePermissions(file, FILE_MODE);
    }
  }

  static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * The error for a failed write: "read-only" when the file system refused it, else the I/O reason. Never shows
   * file content.
   */
  static AuthsomeException writeFailed(Path vaultDir, IOException e) {
    if (e instanceof java.nio.channels.ClosedByInterruptException || e instanceof java.io.InterruptedIOException) {
      // Ctrl-C (the shell interrupts the command's thread) during the write: a cancellation, exit 8 like every
      // other; the write is atomic (a rename), so the vault holds either the old or the new record
      Thread.currentThread().interrupt();
      return AuthsomeException.cancelled("cancelled while writing the vault in " + vaultDir + "; it holds the"
          + " records as they were before or after this write, never a part; run the command again if needed");
    }
    if (isReadOnly(e)) {
      String where = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : vaultDir.toString();
      return AuthsomeException.vault("cannot change the vault: " + where + " is read-only (" + reason(e)
          + "); make " + vaultDir + " writable, or point AUTHSOME_HOME at a writable folder", e);
    }
    return AuthsomeException.vault("cannot write the vault in " + vaultDir + ": " + reason(e)
        + "; check free disk space and the folder's permissions", e);
  }

  static boolean isReadOnly(IOException e) {
    if (e instanceof AccessDeniedException) {
      return true;
    }
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    return reason != null && (reason.contains("Read-only file system") || reason.contains("Operation not permitted"));
  }

  static String reason(IOException e) {
    String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
    if (reason == null) {
      reason = e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
    }
    return reason;
  }
}
