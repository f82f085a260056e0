package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/** Test helpers: open a file vault with a given environment, and reach into its file as damage would. */
final class Vaults {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Vaults() {
  }

  static Vault open(Path home, Map<String, String> environment) {
    return open(home, environment, Map.of());
  }

  static Vault open(Path home, Map<String, String> environment, Map<String, String> settings) {
    return new FileVaultProvider().open(new VaultContext(home, environment, settings));
  }

  /** A fresh base64 master key, as {@code openssl rand -base64 32} would print. */
  static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static Path records(Path home) {
    return home.resolve("vault/records.json");
  }

  /** The sealed text of {@code key} in the records file. */
  static String sealed(Path home, String key) throws IOException {
    return JSON.readTree(records(home).toFile()).path("records").path(key).asText();
  }

  /** Flips one bit of the ciphertext of {@code key}, leaving the JSON and every other record as they were. */
  static void flipCiphertextByte(Path home, String key) throws IOException {
    String sealed = sealed(home, key);
    int dot = sealed.indexOf('.');
    byte[] ciphertext = Base64.getDecoder().decode(sealed.substring(dot + 1));
    ciphertext[ciphertext.length / 2] ^= 0x01;
    String damaged = sealed.substring(0, dot + 1) + Base64.getEncoder().encodeToString(ciphertext);
    replaceInFile(records(home), sealed, damaged);
  }

  /** Replaces the one occurrence of {@code from} in {@code file} by {@code to}. */
  static void replaceInFile(Path file, String from, String to) throws IOException {
    String text = Files.readString(file, UTF_8);
    int at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) {
      throw new IllegalStateException("expected exactly one occurrence in " + file);
    }
    Files.writeString(file, text.substring(0, at) + to + text.substring(at + from.length()), UTF_8);
  }
}
