package dev.authsome.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code config.yaml}: nested YAML with a {@code format} number. Format 1 is what we write. A file without
 * {@code format} (hand-written before formats existed) is read as format 1, and dotted top-level keys
 * ({@code vault.backend: file}) are accepted as well as nested ones, so older or hand-flattened files keep working.
 */
public final class ConfigFile {
  public static final int FORMAT = 1;

  static final String DEFAULT_CONTENT = """
      # authsome configuration. Precedence: command-line flag > environment variable > this file > default.
      format: 1
      vault:
        # file (encrypted file in vault/), memory (nothing persisted, for tests), or another installed backend
        backend: file
        # master_key: /path/to/master.key   # key file of the file backend (default vault/master.key)
      oauth:
        # refresh_margin_seconds: 300        # refresh tokens this long before expiry (default min(300, lifetime/2))
        callback_port: 7998                  # loopback port for OAuth redirects (AUTHSOME_CALLBACK_PORT)
        login_timeout_seconds: 300           # how long a login waits for the browser or form
      """;

  private ConfigFile() {
  }

  /** Reads {@code file} flattened to dotted keys; a missing file is empty. */
  public static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(file);
      root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new AuthsomeException(ErrorCode.USAGE, "Cannot read " + file + ": " + oneLine(e.getMessage())
          + "; fix the YAML or delete the file to use the defaults.", e);
    }
    Map<String, String> flat = new TreeMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return flat;
    }
    if (!root.isObject()) {
      throw AuthsomeException.usage(file + " must be a YAML mapping (key: value), not " + root.getNodeType()
          + "; fix it or delete it.");
    }
    JsonNode format = root.get("format");
    if (format != null && (!format.canConvertToInt() || format.asInt() > FORMAT || format.asInt() < 1)) {
      throw AuthsomeException.usage(file + " has format " + format + ", which this authsome does not read "
          + "(it reads formats 1 to " + FORMAT + "); upgrade authsome or fix the file.");
    }
    flatten("", root, flat);
    flat.remove("format");
    return flat;
  }

  /** Writes the default configuration if there is none yet. */
  public static void writeDefaultIfAbsent(Home home) {
    if (!Files.exists(home.configFile())) {
      home.writeAtomically(home.configFile(), DEFAULT_CONTENT);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (!node.isNull()) {
      out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
