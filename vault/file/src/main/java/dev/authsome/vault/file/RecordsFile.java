package dev.authsome.vault.file;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.authsome.core.AuthsomeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes {@code records.json}. Format 2 (this version) names the folder that holds the records, one file
 * each ({@link RecordFolder}): {@code {"format":2,"generation":N}} points at {@code records.N/}. Format 1 (before
 * 0.2) held every record: {@code {"format":1,"records":{"<key>":"<sealed record>",...}}}, keys sorted; it is still
 * read, and the first write upgrades it. Parsing is strict (duplicate keys, wrong types and trailing content are
 * errors), because a file this code cannot fully understand must never be rewritten.
 */
final class RecordsFile {

  /** The format this version writes. */
  static final int FORMAT = 2;
  /** The format that held every record in this file. */
  static final int LEGACY_FORMAT = 1;

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private RecordsFile() {
  }

  /**
   * The file as read at one moment: {@code exists} is false when there was no file; a format 2 file has a {@code
   * generation} (its records live in {@code records.<generation>/}) and no records; a format 1 file has its records
   * and generation 0.
   */
  record Snapshot(boolean exists, SortedMap<String, String> records, long generation) {
    Snapshot {
      records = Collections.unmodifiableSortedMap(new TreeMap<>(records));
    }

    /** A format 1 file (or none) holding {@code records}. */
    Snapshot(boolean exists, SortedMap<String, String> records) {
      this(exists, records, 0);
    }

    /** Whether this is a format 1 file, whose records are in the file itself. */
    boolean legacy() {
      return exists && generation == 0;
    }
  }

  /**
   * Reads {@code file}.
   *
   * @throws AuthsomeException (vault unavailable) naming the file when it cannot be read or is not a valid vault
   */
  static Snapshot read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Snapshot(false, new TreeMap<>());
    } catch (IOException e) {
      throw AuthsomeException.vault("cannot read the vault file " + file + ": " + VaultFiles.reason(e)
          + "; check that it is readable by you", e);
    }
    try {
      return parse(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw invalid(file, "broken JSON" + where, e);
    } catch (InvalidVault e) {
      throw invalid(file, e.getMessage(), null);
    } catch (IOException e) {
      throw invalid(file, VaultFiles.reason(e), e);
    }
  }

  /**
   * The records that can still be read from a file that {@link #read} refuses (cut off, broken JSON, unknown fields):
   * every complete {@code "key": "value"} pair inside {@code "records"} up to the first damage. For salvage only: what
   * this returns is never written back over the file it came from.
   */
  static SortedMap<String, String> readWhatRemains(byte[] bytes) {
    SortedMap<String, String> records = new TreeMap<>();
    try (JsonParser json = JSON.createParser(bytes)) {
      int depth = 0;
      boolean inRecords = false;
      for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
          if (depth == 2 && "records".equals(json.currentName())) {
            inRecords = true;
          }
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          if (depth == 2) {
            inRecords = false;
          }
          depth--;
        } else if (inRecords && depth == 2 && token == JsonToken.VALUE_STRING && json.currentName() != null) {
          records.putIfAbsent(json.currentName(), json.getText());
        }
      }
    } catch (IOException e) {
      // the damage: keep what came before it
    }
    return records;
  }

  /** The bytes of a format 2 file pointing at {@code records.<generation>/}. */
  static byte[] writePointer(long generation) {
    return ("{\n  \"format\" : " + FORMAT + ",\n  \"generation\" : " + generation + "\n}\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The bytes of a format 1 file holding {@code records} (what versions before 0.2 wrote; tests and fuzzing). */
  static byte[] write(SortedMap<String, String> records) {
    var out = new ByteArrayOutputStream(64 + records.size() * 128);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeNumberField("format", LEGACY_FORMAT);
      json.writeObjectFieldStart("records");
      for (var record : records.entrySet()) {
        json.writeStringField(record.getKey(), record.getValue());
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e); // a ByteArrayOutputStream never fails
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static Snapshot parse(byte[] bytes) throws IOException {
    try (JsonParser json = JSON.createParser(bytes)) {
      expect(json.nextToken() == JsonToken.START_OBJECT, "the file is not a JSON object");
      Integer format = null;
      Long generation = null;
      SortedMap<String, String> records = null;
      for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if ("format".equals(field)) {
          expect(value == JsonToken.VALUE_NUMBER_INT, "\"format\" is not a whole number");
          format = json.getIntValue();
        } else if ("records".equals(field)) {
          expect(value == JsonToken.START_OBJECT, "\"records\" is not an object");
          records = new TreeMap<>();
          for (JsonToken t = json.nextToken(); t != JsonToken.END_OBJECT; t = json.nextToken()) {
            String key = json.currentName();
            expect(json.nextToken() == JsonToken.VALUE_STRING, "record '" + shown(key) + "' is not a string");
            records.put(key, json.getText());
          }
        } else if ("generation".equals(field)) {
          expect(value == JsonToken.VALUE_NUMBER_INT && json.getLongValue() > 0,
              "\"generation\" is not a positive whole number");
          generation = json.getLongValue();
        } else {
          // A field this version does not know: its meaning could matter, so refuse rather than drop it on rewrite.
          throw new InvalidVault("unknown field \"" + shown(field) + "\" for format " + format);
        }
      }
      expect(json.nextToken() == null, "content after the end of the JSON object");
      expect(format != null, "\"format\" is missing");
      if (format == LEGACY_FORMAT) {
        expect(records != null, "\"records\" is missing");
        expect(generation == null, "format 1 has no \"generation\"");
        return new Snapshot(true, records, 0);
      }
      if (format == FORMAT) {
        expect(generation != null, "\"generation\" is missing");
        expect(records == null, "format 2 keeps its records in a folder, not in \"records\"");
        return new Snapshot(true, new TreeMap<>(), generation);
      }
      throw new InvalidVault("format " + format + " is not a format this authsome reads (1 or 2; written by a newer"
          + " version?)");
    }
  }

  /** A name from the file as quoted in a one-line message: control characters and quotes escaped, at most 80 long. */
  static String shown(String name) {
    if (name == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < name.length() && b.length() < 80; i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\'' || c == '"' || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.length() >= 80 && name.length() > 80 ? b + "..." : b.toString();
  }

  private static void expect(boolean condition, String problem) {
    if (!condition) {
      throw new InvalidVault(problem);
    }
  }

  private static AuthsomeException invalid(Path file, String problem, Throwable cause) {
    return AuthsomeException.vault("the vault file " + file + " is not a valid authsome vault (" + problem
        + "); nothing was changed: run 'authsome vault salvage' to keep every record that can still be read in a"
        + " fresh vault (the damaged file is kept aside), or restore it from a backup", cause);
  }

  /** A structural problem found while parsing (carries no file content beyond key names). */
  private static final class InvalidVault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidVault(String problem) {
      super(problem, null, false, false);
    }
  }
}
