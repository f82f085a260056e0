package dev.authsome.core.internal;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The authsome home ({@code $AUTHSOME_HOME}): its layout, and the only place that creates folders (0700) and files
 * (0600) in it. Nothing is created until a command needs to write, so read-only commands work on a read-only or
 * missing home.
 */
public final class Home {
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

  private final Path root;

  public Home(Path root) {
    this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path configFile() {
    return root.resolve("config.yaml");
  }

  Path providersDir() {
    return root.resolve("providers");
  }

  Path pluginsDir() {
    return root.resolve("plugins");
  }

  Path cacheDir() {
    return root.resolve("cache");
  }

  Path auditLog() {
    return root.resolve("audit.log");
  }

  /** Creates the home folder (0700) if absent; a failure is a vault error (exit 7) naming the folder. */
  void ensureRoot() {
    ensureDir(root);
  }

  /** Creates {@code dir} and its missing parents inside the home with mode 0700. */
  void ensureDir(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      if (!dir.equals(root) && dir.startsWith(root)) {
        ensureDir(dir.getParent());
      }
      Files.createDirectories(dir);
      setMode(dir, DIR_MODE);
    } catch (IOException e) {
      throw notWritable(dir, e);
    }
  }

  /** Writes {@code content} to {@code file} atomically (temp file, fsync, rename) with mode 0600. */
  void writeAtomically(Path file, String content) {
    ensureDir(file.getParent());
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp" + ProcessHandle.current().pid());
    try {
      try (var channel = Files.newByteChannel(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        setMode(temp, FILE_MODE);
        channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        if (channel instanceof java.nio.channels.FileChannel fc) {
          fc.force(true);
        }
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the original failure is the one worth reporting
      }
      throw notWritable(file, e);
    }
  }

  /** Appends one line to {@code file}, creating it with mode 0600. */
  void appendLine(Path file, String line) throws IOException {
    ensureDir(file.getParent());
    boolean created = !Files.exists(file);
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    if (created) {
      setMode(file, FILE_MODE);
    }
  }

  /** The Python authsome's own files found in this home (left untouched; {@code doctor} mentions them). */
  List<Path> pythonFiles() {
    List<Path> found = new ArrayList<>();
    for (String name : List.of("config.json", "master.key", "version")) {
      Path p = root.resolve(name);
      if (Files.isRegularFile(p)) {
        found.add(p);
      }
    }
    Path profiles = root.resolve("profiles");
    if (Files.isDirectory(profiles)) {
      try (Stream<Path> dirs = Files.list(profiles)) {
        dirs.map(d -> d.resolve("store.db")).filter(Files::isRegularFile).sorted().forEach(found::add);
      } catch (IOException e) {
        found.add(profiles);
      }
    }
    return found;
  }

  /** Files and folders in the home whose mode is wider than 0600/0700. */
  List<String> permissionProblems() {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return problems;
    }
    Set<Path> python = Set.copyOf(pythonFiles());
    try (Stream<Path> all = Files.walk(root, 3)) {
      all.filter(p -> !python.contains(p)).forEach(p -> {
        try {
          Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
          boolean dir = Files.isDirectory(p);
          Set<PosixFilePermission> allowed = dir ? DIR_MODE : FILE_MODE;
          if (!allowed.containsAll(mode)) {
            problems.add(p + " is " + PosixFilePermissions.toString(mode) + ", expected "
                + PosixFilePermissions.toString(allowed) + " (chmod " + (dir ? "700" : "600") + ")");
          }
        } catch (IOException | UnsupportedOperationException e) {
          // not a POSIX file system, or the file vanished meanwhile: nothing to report
        }
      });
    } catch (IOException e) {
      problems.add("cannot read " + root + ": " + e.getMessage());
    }
    return problems;
  }

  static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, mode);
    } catch (UnsupportedOperationException e) {
      // non-POSIX file system (Windows): the ACLs of the user's profile folder apply instead
    }
  }

  static AuthsomeException notWritable(Path path, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
        : e.getClass().getSimpleName();
    return AuthsomeException.vault("Cannot write " + path + " (" + why + "); check that the authsome home "
        + "is writable or set AUTHSOME_HOME to a writable folder.", e);
  }
}
