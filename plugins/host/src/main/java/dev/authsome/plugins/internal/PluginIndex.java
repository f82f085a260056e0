package dev.authsome.plugins.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The plugin index file, {@code {"format": 1, "jars": [entry, ...]}}: the home's {@code cache/plugin-index.json}
 * (keyed by absolute path, size and modification time) and the bundled folder's prebuilt {@code index.json} (keyed
 * by file name and size, because copying the distribution changes modification times). A missing, unreadable or
 * foreign index is simply empty: every jar is then scanned again.
 */
public final class PluginIndex {
  public static final int FORMAT = 1;
  public static final String BUNDLED_INDEX = "index.json";
  /**
   * Reading uses the streaming parser alone: every command that needs the catalogue reads the index, and
   * initialising an {@link ObjectMapper} cost more than parsing the bundled index (JFR: ~17 ms of `export`).
   */
  private static final JsonFactory FACTORY = new JsonFactory();

  private PluginIndex() {
  }

  /** The entries of an index file by path; empty when it is missing or not format 1. */
  public static Map<String, IndexEntry> read(Path file) {
    Map<String, IndexEntry> result = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return result;
    }
    try {
      Object document;
      try (JsonParser parser = FACTORY.createParser(file.toFile())) {
        parser.nextToken();
        document = value(parser);
        if (parser.nextToken() != null) {
          throw new IOException("trailing content after the index document");
        }
      }
      if (document instanceof Map<?, ?> map && Integer.valueOf(FORMAT).equals(map.get("format"))
          && map.get("jars") instanceof List<?> jars) {
        for (Object jar : jars) {
          IndexEntry entry = IndexEntry.fromJson(jar);
          if (entry != null) {
            result.put(entry.path(), entry);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // a damaged cache is rebuilt, never an error
      result.clear();
    }
    return result;
  }

  /**
   * The JSON value at the parser's current token as {@code ObjectMapper.readValue(..., Object.class)} would give it:
   * objects as ordered maps (a repeated key keeps its last value), arrays as lists, integers as the smallest of
   * Integer, Long and BigInteger, other numbers as Double.
   */
  static @Nullable Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IOException("the index ends early");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          parser.nextToken();
          map.put(key, value(parser));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(parser));
        }
        return list;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + token + " in the index");
    }
  }

  /** Writes an index atomically (temporary file, then rename): folder 0700, file 0600 where POSIX allows. */
  public static void write(Path file, Collection<IndexEntry> entries) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    List<Map<String, Object>> jars = new ArrayList<>();
    entries.stream().sorted(java.util.Comparator.comparing(IndexEntry::path)).forEach(e -> jars.add(e.toJson()));
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("format", FORMAT);
    document.put("jars", jars);
    Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    if (posix(dir)) {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(temp, Writer.JSON.writeValueAsBytes(document));
    try {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Scans every jar of {@code folder} and writes its prebuilt {@code index.json}, keyed by file name. Returns the
   * entries, so that the caller can fail on a jar with an error.
   *
   * <p>Each provider definition is validated here too, with its own flow taken as installed, and marked
   * {@link IndexEntry#validated()} when it passes: the rules and the jars ship together, so the catalogue then checks
   * only the flow (~24 ms of every `list` of the 414 bundled providers, mostly URL parsing).
   */
  public static List<IndexEntry> writeBundled(Path folder) throws IOException {
    List<IndexEntry> entries = new ArrayList<>();
    for (Path jar : jars(folder)) {
      BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        continue;
      }
      IndexEntry entry = JarScanner.scan(jar, jar.getFileName().toString(), attributes.size(),
          attributes.lastModifiedTime().toMillis());
      entries.add(entry.withValidated(validExceptForTheFlow(entry, jar)));
    }
    write(folder.resolve(BUNDLED_INDEX), entries);
    return entries;
  }

  private static boolean validExceptForTheFlow(IndexEntry entry, Path jar) {
    if (entry.provider() == null || entry.error() != null) {
      return false;
    }
    String origin = jar + "!/" + JarScanner.PROVIDER_FILE;
    try {
      ProviderDefinition definition = ProviderDefinitions.fromMap(entry.provider(), origin);
      Set<String> flows = new HashSet<>(ProviderDefinitions.BUILTIN_FLOWS);
      flows.add(definition.flow());
      ProviderDefinitions.validate(definition, origin, flows);
      return true;
    } catch (AuthsomeException e) {
      return false; // validated, and reported, where it is used, as any jar's
    }
  }

  /**
   * The {@code *.jar} entries of a folder, sorted by name; none when the folder does not exist. Callers read each
   * one's attributes anyway, and skip what is not a regular file: one stat per jar instead of two (420 jars).
   */
  public static List<Path> jars(Path folder) throws IOException {
    List<Path> result = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return result;
    }
    // names compared as strings: a comparator over Path.getFileName() built two objects per comparison (~7 ms of
    // every `list` for the 420 bundled jars), and a glob matcher ran a regex per entry
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (name.endsWith(".jar")) {
          names.add(name);
        }
      }
    }
    names.sort(null);
    for (String name : names) {
      result.add(folder.resolve(name));
    }
    return result;
  }

  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    try {
      if (posix(parent == null ? dir : parent)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      // another process created it first
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The mapper for writing, initialised only by the commands that rebuild an index. */
  private static final class Writer {
    static final ObjectMapper JSON = new ObjectMapper();
  }
}
