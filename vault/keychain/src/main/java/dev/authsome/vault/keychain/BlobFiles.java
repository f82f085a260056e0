package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Values larger than a platform's item limit (Windows: 2560 bytes) are stored as an AES-256-GCM blob in
 * {@code $AUTHSOME_HOME/vault/keychain-blobs/}; the keychain item then holds only a reference and the blob's key, so
 * the secret stays protected by the keychain. The record key is bound as associated data, so a blob cannot be swapped
 * between records.
 */
final class BlobFiles {
  /** Every item value that refers to a blob starts with this; a plain value never does (see {@link #mustSpill}). */
  static final String MARKER = "authsome-blob:1:";

  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  BlobFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Whether {@code value} must go to a blob: too large for the item, or it could be mistaken for a reference. */
  static boolean mustSpill(byte[] value, int maxItemBytes) {
    return value.length > maxItemBytes || startsWithMarker(value);
  }

  static boolean startsWithMarker(byte[] value) {
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    if (value.length < marker.length) {
      return false;
    }
    for (int i = 0; i < marker.length; i++) {
      if (value[i] != marker[i]) {
        return false;
      }
    }
    return true;
  }

  /** Encrypts {@code value} into a new blob file and returns the item value that refers to it. */
  byte[] write(String recordKey, byte[] value) {
    byte[] key = new byte[KEY_BYTES];
    byte[] iv = new byte[IV_BYTES];
    byte[] idBytes = new byte[16];
    RANDOM.nextBytes(key);
    RANDOM.nextBytes(iv);
    RANDOM.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(recordKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(value);
      SecureFiles.writeAtomically(file(id), ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot write the keychain blob " + file(id) + " for '" + recordKey + "': "
          + e.getMessage() + "; check free space and the permissions of " + dir, e);
    }
    return (MARKER + id + ":" + Base64.getEncoder().encodeToString(key)).getBytes(StandardCharsets.US_ASCII);
  }

  /** Decrypts the blob that the item value {@code reference} points to. */
  byte[] read(String recordKey, byte[] reference) {
    Reference ref = parse(recordKey, reference);
    Path file = file(ref.id());
    byte[] stored;
    try {
      stored = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw AuthsomeException.vault("the keychain item '" + recordKey + "' refers to the blob " + file
          + ", which is missing; restore it from a backup or delete the record (authsome logout)", e);
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot read the keychain blob " + file + ": " + e.getMessage(), e);
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(ref.key(), "AES"),
          new GCMParameterSpec(128, stored, 0, IV_BYTES));
      cipher.updateAAD(recordKey.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw AuthsomeException.vault("the keychain blob " + file + " of '" + recordKey
          + "' is damaged (it does not decrypt); restore it from a backup or delete the record (authsome logout)", e);
    }
  }

  /** Deletes the blob an item value refers to, if it is a reference; damaged references are left alone. */
  void deleteReferenced(byte[] itemValue) {
    if (!startsWithMarker(itemValue)) {
      return;
    }
    String text = new String(itemValue, StandardCharsets.US_ASCII).substring(MARKER.length());
    int colon = text.indexOf(':');
    if (colon > 0 && isHexId(text.substring(0, colon))) {
      try {
        Files.deleteIfExists(file(text.substring(0, colon)));
      } catch (IOException e) {
        // an orphaned blob only costs disk space; the record itself is already replaced or gone
      }
    }
  }

  private Path file(String id) {
    return dir.resolve(id + ".blob");
  }

  private static Reference parse(String recordKey, byte[] reference) {
    String text = new String(reference, StandardCharsets.US_ASCII).substring(MARKER.length());
    int colon = text.indexOf(':');
    try {
      if (colon > 0 && isHexId(text.substring(0, colon))) {
        byte[] key = Base64.getDecoder().decode(text.substring(colon + 1));
        if (key.length == KEY_BYTES) {
          return new Reference(text.substring(0, colon), key);
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw AuthsomeException.vault("the keychain item '" + recordKey
        + "' holds a damaged blob reference; delete the record (authsome logout) and log in again");
  }

  private static boolean isHexId(String id) {
    return id.length() == 32 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private record Reference(String id, byte[] key) {}
}
