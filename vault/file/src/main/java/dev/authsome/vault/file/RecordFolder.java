package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.authsome.core.AuthsomeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One generation of the vault's records: the folder {@code records.N/} with one file per record, so that reading or
 * writing a record touches that record only, whatever the size of the vault. A file is named after its key (bytes
 * other than {@code a-z 0-9 . _ -} written {@code %XX}, so names are the same on case-insensitive file systems; a
 * key whose name would be longer than {@value #MAX_NAME} characters is named {@code #<sha-256 of the key>}) and
 * holds {@code {"key":"<key>","sealed":"<sealed record>"}}: the key inside is what counts, the name only finds it.
 * Files whose name starts with '.' are temporary (a write in progress) and never records.
 */
final class RecordFolder {

  static final int MAX_NAME = 200;
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  final Path dir;

  RecordFolder(Path dir) {
    this.dir = dir;
  }

  /** One record file as read: its key and sealed text. */
  record Entry(String key, String sealed) {
  }

  /** A record file that cannot be parsed, or that holds another key than its name says. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Path file;

    Unreadable(Path file, String problem) {
      super(problem, null, false, false);
      this.file = file;
    }
  }

  /** The file name for {@code key}. */
  static String fileName(String key) {
    // ASCII keys (all that authsome writes) without the UTF-8 copy, the StringBuilder and a String per escape:
    // `list` names every record file twice (JFR at 10,000 connections: 6% of the listing). Same result as below.
    int length = key.length();
    char[] name = new char[length * 3];
    int n = 0;
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      if (c >= 0x80) {
        return fileNameOfUtf8(key);
      }
      if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' && i > 0) {
        name[n++] = c;
      } else {
        name[n++] = '%';
        name[n++] = UPPER_HEX_DIGITS[c >> 4];
        name[n++] = UPPER_HEX_DIGITS[c & 0xf];
      }
    }
    return n > MAX_NAME ? "#" + sha256(key) : new String(name, 0, n);
  }

  private static final char[] UPPER_HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  /** {@link #fileName} for any key: its UTF-8 bytes outside {@code a-z 0-9 . _ -} as {@code %XX}. */
  static String fileNameOfUtf8(String key) {
    StringBuilder name = new StringBuilder(key.length() + 16);
    byte[] bytes = key.getBytes(UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b == '-' || b == '.' && i > 0;
      if (plain) {
        name.append((char) b);
      } else {
        name.append('%').append(HEX.toHexDigits((byte) b));
      }
    }
    if (name.length() > MAX_NAME) {
      return "#" + sha256(key);
    }
    return name.toString();
  }

  /**
   * The key a file name stands for, or null when the name is a hash or not one this code writes (the key is then
   * only in the file).
   */
  static @Nullable String keyOf(String fileName) {
    if (fileName.startsWith("#")) {
      return null;
    }
    // names of ASCII keys without the byte buffer (`list` decodes every file name); same result as below
    int length = fileName.length();
    char[] key = new char[length];
    int n = 0;
    for (int i = 0; i < length; i++) {
      char c = fileName.charAt(i);
      if (c == '%') {
        int high = i + 2 < length ? hexValue(fileName.charAt(i + 1)) : -1;
        int low = i + 2 < length ? hexValue(fileName.charAt(i + 2)) : -1;
        if (high < 0 || low < 0) {
          return null;
        }
        int b = high << 4 | low;
        if (b >= 0x80) {
          return keyOfUtf8(fileName);
        }
        key[n++] = (char) b;
        i += 2;
      } else if (c > 0x7f) {
        return null;
      } else {
        key[n++] = c;
      }
    }
    return new String(key, 0, n);
  }

  /** The value of an ASCII hex digit (either case), or -1. */
  private static int hexValue(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10
        : -1;
  }

  /** {@link #keyOf} for any name: {@code %XX} escapes are UTF-8 bytes. */
  static @Nullable String keyOfUtf8(String fileName) {
    if (fileName.startsWith("#")) {
      return null;
    }
    var bytes = new ByteArrayOutputStream(fileName.length());
    for (int i = 0; i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (c == '%') {
        if (i + 2 >= fileName.length() || !HexFormat.isHexDigit(fileName.charAt(i + 1))
            || !HexFormat.isHexDigit(fileName.charAt(i + 2))) {
          return null; // not a name this code wrote: the file itself says which key it holds
        }
        bytes.write(HexFormat.fromHexDigits(fileName, i + 1, i + 3));
        i += 2;
      } else if (c > 0x7f) {
        return null;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(UTF_8);
  }

  Path fileOf(String key) {
    return dir.resolve(fileName(key));
  }

  /**
   * The record stored under {@code key}; empty when there is none (or the folder is gone: a rekey replaced it).
   *
   * @throws Unreadable when the file is there but is not a record for {@code key}
   * @throws IOException when it cannot be read
   */
  Optional<Entry> read(String key) throws IOException {
    Path file = fileOf(key);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    }
    Entry entry = parse(file, bytes);
    if (!entry.key().equals(key)) {
      throw new Unreadable(file, "it holds record '" + RecordsFile.shown(entry.key()) + "', not '"
          + RecordsFile.shown(key) + "' (files swapped or renamed?)");
    }
    return Optional.of(entry);
  }

  /** The record in {@code file} (one of this folder's). */
  Entry read(Path file) throws IOException {
    return parse(file, Files.readAllBytes(file));
  }

  /**
   * The names of the record files, in no particular order; at most {@code limit} of them. Temporary files are not
   * records. Empty when the folder does not exist.
   */
  List<Path> files(int limit) throws IOException {
    var files = new ArrayList<Path>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path file : stream) {
        if (!file.getFileName().toString().startsWith(".")) {
          files.add(file);
          if (files.size() >= limit) {
            break;
          }
        }
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    return files;
  }

  /**
   * The keys of every record, unsorted. A hashed name is resolved by reading its file; an unreadable one is left out
   * here (reading it names the damage).
   */
  List<String> keys() throws IOException {
    var keys = new ArrayList<String>();
    for (Path file : files(Integer.MAX_VALUE)) {
      String name = file.getFileName().toString();
      String key = keyOf(name);
      if (key == null) {
        try {
          key = read(file).key();
        } catch (Unreadable | NoSuchFileException e) {
          continue;
        }
      }
      if (fileName(key).equals(name)) { // else not a file this code wrote, so not a record reads would find
        keys.add(key);
      }
    }
    return keys;
  }

  /** Writes {@code sealed} as the record {@code key}: durable and atomic (temp file, fsync, rename, folder fsync). */
  void write(String key, String sealed) throws IOException {
    VaultFiles.replaceAtomically(fileOf(key), bytes(key, sealed));
  }

  /**
   * Writes a record into a folder being built (a new generation nobody reads yet): no rename is needed, and the
   * folder is synced once at the end by {@link #syncAll}.
   */
  void writeNew(String key, String sealed) throws IOException {
    Path file = fileOf(key);
    boolean posix = VaultFiles.posix(dir);
    var attributes = posix ? new java.nio.file.attribute.FileAttribute<?>[] {
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))}
        : new java.nio.file.attribute.FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes(key, sealed));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    VaultFiles.makePrivate(file);
  }

  /** Makes the files written by {@link #writeNew} durable as folder entries. */
  void syncAll() {
    VaultFiles.syncDirectory(dir);
  }

  /** Deletes the record {@code key}; says whether it was there. Durable (folder fsync). */
  boolean delete(String key) throws IOException {
    boolean existed = Files.deleteIfExists(fileOf(key));
    if (existed) {
      VaultFiles.syncDirectory(dir);
    }
    return existed;
  }

  /** Deletes the folder and everything in it (a generation no longer pointed at). */
  void deleteAll() throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path file : stream) {
        Files.deleteIfExists(file);
      }
    } catch (NoSuchFileException e) {
      return;
    }
    Files.deleteIfExists(dir);
  }

  private static byte[] bytes(String key, String sealed) {
    var out = new ByteArrayOutputStream(sealed.length() + key.length() + 32);
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("key", key);
      json.writeStringField("sealed", sealed);
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory failed", e); // a ByteArrayOutputStream never fails
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static Entry parse(Path file, byte[] bytes) {
    try (JsonParser json = JSON.createParser(bytes)) {
      String key = null;
      String sealed = null;
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new Unreadable(file, "it is not a JSON object");
      }
      for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT; token = json.nextToken()) {
        String field = json.currentName();
        if (json.nextToken() != JsonToken.VALUE_STRING) {
          throw new Unreadable(file, "\"" + RecordsFile.shown(field) + "\" is not a string");
        }
        if ("key".equals(field)) {
          key = json.getText();
        } else if ("sealed".equals(field)) {
          sealed = json.getText();
        } else {
          throw new Unreadable(file, "unknown field \"" + RecordsFile.shown(field) + "\"");
        }
      }
      if (json.nextToken() != null) {
        throw new Unreadable(file, "content after the end of the JSON object");
      }
      if (key == null || sealed == null) {
        throw new Unreadable(file, "\"" + (key == null ? "key" : "sealed") + "\" is missing");
      }
      return new Entry(key, sealed);
    } catch (IOException e) {
      throw new Unreadable(file, "broken JSON");
    }
  }

  /** The error for a record file that {@link Unreadable} describes, naming the file and the way out. */
  static AuthsomeException damaged(Unreadable e) {
    return AuthsomeException.vault("the vault record file " + e.file + " is not a valid authsome record ("
        + e.getMessage() + "); nothing was changed: run 'authsome vault salvage' to keep every record that can still"
        + " be read in a fresh generation of the vault (the damaged files are kept aside), or restore it from a"
        + " backup");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java runtime has no SHA-256", e);
    }
  }
}
