package dev.authsome.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a home read-only for the CLI. Root ignores file modes, so when the tests run as root the CLI runs as the
 * unprivileged user {@code nobody} (through {@code setpriv}) over a home it owns and cannot write.
 */
final class ReadOnly {
  private ReadOnly() {
  }

  static void makeReadOnly(Path home, Cli cli) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      UserPrincipal nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      GroupPrincipal nogroup = home.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName("nogroup");
      try (Stream<Path> all = Files.walk(home)) {
        for (Path p : all.toList()) {
          PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
          view.setOwner(nobody);
          view.setGroup(nogroup);
        }
      }
      // nobody must reach the home through its parents (the temp folder)
      for (Path p = home.getParent(); p != null; p = p.getParent()) {
        var mode = Files.getPosixFilePermissions(p);
        mode.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(p, mode);
      }
      cli.wrapper.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
    }
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-x------"
            : "r--------"));
      }
    }
  }
}
