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

  /** {@code records.json}: the pointer to the current generation (format 2), or every record (format 1). */
  static Path records(Path home) {
    return home.resolve("vault/records.json");
  }

  /** The folder of the current generation of records. */
  static Path generation(Path home) throws IOException {
    return home.resolve("vault/records." + JSON.readTree(records(home).toFile()).path("generation").asLong());
  }

  /** The file holding record {@code key}. */
  static Path recordFile(Path home, String key) throws IOException {
    return generation(home).resolve(RecordFolder.fileName(key));
  }

  /** The sealed text of {@code key}. */
  static String sealed(Path home, String key) throws IOException {
    return JSON.readTree(recordFile(home, key).toFile()).path("sealed").asText();
  }

  /** Flips one bit of the ciphertext of {@code key}, leaving its file valid JSON and every other record as it was. */
  static void flipCiphertextByte(Path home, String key) throws IOException {
    String sealed = sealed(home, key);
    int dot = sealed.indexOf('.');
    byte[] ciphertext = Base64.getDecoder().decode(sealed.substring(dot + 1));
    ciphertext[ciphertext.length / 2] ^= 0x01;
    String damaged = sealed.substring(0, dot + 1) + Base64.getEncoder().encodeToString(ciphertext);
    replaceInFile(recordFile(home, key), sealed, damaged);
  }

  /**
   * Turns the vault of {@code home} into the format 1 layout that versions before 0.2 wrote (every sealed record
   * inside {@code records.json}), keeping each sealed record byte for byte: what an existing user's vault looks like.
   */
  static void toFormat1(Path home) throws IOException {
    Path folder = generation(home);
    var records = new java.util.TreeMap<String, String>();
    try (var files = Files.list(folder)) {
      for (Path file : files.toList()) {
        var node = JSON.readTree(file.toFile());
        records.put(node.path("key").asText(), node.path("sealed").asText());
        Files.delete(file);
      }
    }
    Files.delete(folder);
    Files.write(records(home), RecordsFile.write(records));
    Files.deleteIfExists(home.resolve("vault/revision"));
  }

  /** Every file under {@code home/vault} but the lock files, path to content: to show that nothing changed. */
  static java.util.SortedMap<String, String> contents(Path home) throws IOException {
    var contents = new java.util.TreeMap<String, String>();
    Path vault = home.resolve("vault");
    try (var files = Files.walk(vault)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = vault.relativize(file).toString();
        if (!name.startsWith("locks")) {
          contents.put(name, Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
        }
      }
    }
    return contents;
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
