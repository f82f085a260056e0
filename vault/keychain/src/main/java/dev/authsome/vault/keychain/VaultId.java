package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The vault's identity, {@code $AUTHSOME_HOME/vault-id}: a UUID written once (mode 0600) when the vault is created.
 * Every keychain item carries it, so two homes on one machine never see each other's items.
 */
final class VaultId {
  static final String FILE_NAME = "vault-id";

  private VaultId() {}

  /** Reads the vault id of {@code home}, creating it when the vault is new. */
  static String readOrCreate(Path home) {
    Path file = home.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        return read(file);
      }
      SecureFiles.createPrivateDirectories(home);
      // Written aside, then hard-linked into place: the link fails if another process won the race, and a reader never
      // sees a half-written id.
      Path temp = SecureFiles.writePrivateTemp(file, (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException raced) {
        // another process created it first: use theirs
      } finally {
        Files.deleteIfExists(temp);
      }
      return read(file);
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot read or create the vault id " + file + ": " + e.getMessage()
          + "; check the permissions of " + home, e);
    }
  }

  private static String read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return UUID.fromString(text).toString();
    } catch (IllegalArgumentException e) {
      throw AuthsomeException.vault("the vault id " + file + " is damaged (not a UUID: '" + abbreviate(text)
          + "'); restore it from a backup, since the keychain items of this vault are found by it");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
