package dev.authsome.vault.file;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.authsome.core.AuthsomeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The master key in {@code vault/master.key} (0600):
 * {@code {"format":1,"algorithm":"AES-256-GCM","key":"<base64 of 32 bytes>"}}.
 */
final class KeyFileMasterKey implements MasterKeySource {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String ALGORITHM = "AES-256-GCM";

  private final Path file;

  KeyFileMasterKey(Path file) {
    this.file = file;
  }

  @Override
  public String describe() {
    return "key file " + file;
  }

  @Override
  public Optional<SecretKey> load() {
    return read(file);
  }

  @Override
  public Optional<SecretKey> loadPending() {
    return read(pendingFile());
  }

  @Override
  public void storePending(SecretKey key) {
    write(pendingFile(), key);
  }

  /** One rename: the pending file becomes the key file (the old key is gone at that instant, not before). */
  @Override
  public void promotePending() {
    try {
      Files.move(pendingFile(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      VaultFiles.syncDirectory(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw VaultFiles.writeFailed(file.getParent(), e);
    }
  }

  @Override
  public void discardPending() {
    try {
      Files.deleteIfExists(pendingFile());
    } catch (IOException e) {
      throw VaultFiles.writeFailed(file.getParent(), e);
    }
  }

  private Path pendingFile() {
    return file.resolveSibling(file.getFileName() + ".next");
  }

  private Optional<SecretKey> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot read the master key file " + file + ": " + VaultFiles.reason(e)
          + "; check that it is readable by you, or set AUTHSOME_MASTER_KEY to the vault's key", e);
    }
    String problem;
    try (JsonParser json = JSON.createParser(bytes)) {
      Integer format = null;
      String algorithm = null;
      String key = null;
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw invalid(file, "not a JSON object");
      }
      for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        switch (field) {
          case "format" -> format = value == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : -1;
          case "algorithm" -> algorithm = value == JsonToken.VALUE_STRING ? json.getText() : "";
          case "key" -> key = value == JsonToken.VALUE_STRING ? json.getText() : "";
          default -> json.skipChildren(); // notes a person added do no harm
        }
      }
      if (format == null || format != 1) {
        problem = "\"format\" is not 1";
      } else if (!ALGORITHM.equals(algorithm)) {
        problem = "\"algorithm\" is not " + ALGORITHM;
      } else if (key == null) {
        problem = "\"key\" is missing";
      } else {
        byte[] decoded = decode(key);
        if (decoded == null) {
          problem = "\"key\" is not valid base64";
        } else if (decoded.length != RecordCipher.KEY_BYTES) {
          problem = "\"key\" decodes to " + decoded.length + " bytes instead of " + RecordCipher.KEY_BYTES;
        } else {
          return Optional.of(new SecretKeySpec(decoded, "AES"));
        }
      }
    } catch (IOException e) {
      problem = "broken JSON";
    }
    throw invalid(file, problem);
  }

  @Override
  public boolean canStore() {
    return true;
  }

  @Override
  public void store(SecretKey key) {
    write(file, key);
  }

  private static void write(Path file, SecretKey key) {
    var out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeNumberField("format", 1);
      json.writeStringField("algorithm", ALGORITHM);
      json.writeStringField("key", Base64.getEncoder().encodeToString(key.getEncoded()));
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e); // a ByteArrayOutputStream never fails
    }
    out.write('\n');
    try {
      VaultFiles.replaceAtomically(file, out.toByteArray());
    } catch (IOException e) {
      throw VaultFiles.writeFailed(file.getParent(), e);
    }
  }

  @Override
  public String whenMissing() {
    return "restore " + file + " from a backup, or set AUTHSOME_MASTER_KEY to the key this vault was created with";
  }

  private static AuthsomeException invalid(Path file, String problem) {
    return AuthsomeException.vault("the master key file " + file + " is not valid (" + problem
        + "); restore it from a backup, or set AUTHSOME_MASTER_KEY to the vault's key");
  }

  private static byte @Nullable [] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
