package dev.authsome.vault.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.MasterKeyStore;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The database password, never from a URL: {@code PGPASSWORD}, else the keychain item {@code authsome-postgres}, else
 * the first matching line of {@code PGPASSFILE} (default {@code ~/.pgpass}), which must be readable by its owner only
 * (0600), as libpq demands. None of them is fine: trust, peer and certificate logins need no password.
 */
final class Passwords {
  static final String KEYCHAIN_ITEM = "authsome-postgres";

  private Passwords() {
  }

  /**
   * The password for {@code user} at {@code url}, and where it came from.
   *
   * @throws AuthsomeException vault error for a password file that others can read
   */
  static Optional<Found> find(VaultContext context, PostgresUrl url, String user) {
    String env = context.env("PGPASSWORD").orElse("");
    if (!env.isEmpty()) {
      return Optional.of(new Found(env, "PGPASSWORD"));
    }
    Optional<Found> keychain = keychain(context);
    if (keychain.isPresent()) {
      return keychain;
    }
    Path file = context.env("PGPASSFILE").filter(f -> !f.isBlank()).map(Path::of)
        .orElseGet(() -> Path.of(context.env("HOME").orElse(System.getProperty("user.home")), ".pgpass"));
    return passFile(file, url, user).map(p -> new Found(p, "password file " + file));
  }

  /**
   * Keeps {@code password} in the keychain item {@code authsome-postgres}; returns where.
   *
   * @throws AuthsomeException vault error when this machine has no keychain (the fix names the other sources)
   */
  static String store(VaultContext context, String password) {
    Optional<MasterKeyStore> opened;
    try {
      opened = MasterKey.openKeychain(context);
    } catch (AuthsomeException e) {
      throw AuthsomeException.vault("the keychain is not available (" + e.getMessage() + "), so the password was not"
          + " stored; use PGPASSWORD or a 0600 ~/.pgpass line instead", e);
    }
    MasterKeyStore store = opened.orElseThrow(() -> AuthsomeException.vault("no keychain support is installed, so"
        + " the password was not stored; use PGPASSWORD or a 0600 ~/.pgpass line instead"));
    try (store) {
      store.write(KEYCHAIN_ITEM, password.getBytes(UTF_8));
      return "keychain item " + KEYCHAIN_ITEM + " (" + store.describe() + ")";
    }
  }

  /** A password and its source (the source, never the password, goes into messages). */
  record Found(String password, String source) {
    @Override
    public String toString() {
      return "password from " + source;
    }
  }

  private static Optional<Found> keychain(VaultContext context) {
    try {
      Optional<MasterKeyStore> store = MasterKey.openKeychain(context);
      if (store.isEmpty()) {
        return Optional.empty();
      }
      try (MasterKeyStore s = store.get()) {
        return s.read(KEYCHAIN_ITEM).map(bytes -> new Found(new String(bytes, UTF_8),
            "keychain item " + KEYCHAIN_ITEM));
      }
    } catch (AuthsomeException e) {
      return Optional.empty(); // no keychain on this machine (headless, locked): the next source it is
    }
  }

  /** The password of the first line of a libpq password file that matches; see the libpq manual, 34.16. */
  static Optional<String> passFile(Path file, PostgresUrl url, String user) {
    List<String> lines;
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          throw AuthsomeException.vault("the password file " + file + " can be read by others, so it is not used;"
              + " run chmod 600 " + file);
        }
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system (Windows): libpq does not check there either
      }
      lines = Files.readAllLines(file, UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot read the password file " + file + " (" + e.getMessage() + ")", e);
    }
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = split(line);
      if (fields.size() != 5) {
        continue;
      }
      if (matches(fields.get(0), url.host()) && matches(fields.get(1), Integer.toString(url.port()))
          && matches(fields.get(2), url.database()) && matches(fields.get(3), user)) {
        return Optional.of(fields.get(4));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  /** Splits on unescaped colons; {@code \:} and {@code \\} are a colon and a backslash. */
  private static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    var field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
