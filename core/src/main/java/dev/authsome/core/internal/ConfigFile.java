package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code config.yaml}: nested YAML with a {@code format} number. Format 1 is what we write. A file without
 * {@code format} (hand-written before formats existed) is read as format 1, and dotted top-level keys
 * ({@code vault.backend: file}) are accepted as well as nested ones, so older or hand-flattened files keep working.
 */
public final class ConfigFile {
  static final int FORMAT = 1;

  static final String DEFAULT_CONTENT = """
      # authsome configuration. Precedence: command-line flag > environment variable > this file > default.
      format: 1
      vault:
        # file (encrypted file in vault/), memory (nothing persisted, for tests), or another installed backend
        backend: file
        # master_key: where the file backend's key lives: keychain, file (vault/master.key) or env
        # (AUTHSOME_MASTER_KEY); chosen once when the vault is created, and written here
      oauth:
        # refresh_margin_seconds: 300        # refresh tokens this long before expiry (default min(300, lifetime/2))
        callback_port: 7998                  # loopback port for OAuth redirects (AUTHSOME_CALLBACK_PORT)
        login_timeout_seconds: 300           # how long a login waits for the browser or form
      """;

  private ConfigFile() {
  }

  /** Reads {@code file} flattened to dotted keys; a missing file is empty. */
  public static Map<String, String> read(Path file) {
    Object root;
    try {
      String text = Files.readString(file);
      // SnakeYAML directly, safe constructor only: every command reads this file, and Jackson's YAML layer would
      // bring jackson-databind along for a handful of scalars
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      options.setNestingDepthLimit(16);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException | RuntimeException e) {
      throw new AuthsomeException(ErrorCode.USAGE, "Cannot read " + file + ": " + oneLine(e.getMessage())
          + "; fix the YAML or delete the file to use the defaults.", e);
    }
    Map<String, String> flat = new TreeMap<>();
    if (root == null) {
      return flat;
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw AuthsomeException.usage(file + " must be a YAML mapping (key: value), not "
          + root.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "; fix it or delete it.");
    }
    Object format = map.get("format");
    if (format != null && (!(format instanceof Integer n) || n > FORMAT || n < 1)) {
      throw AuthsomeException.usage(file + " has format " + format + ", which this authsome does not read "
          + "(it reads formats 1 to " + FORMAT + "); upgrade authsome or fix the file.");
    }
    flatten("", map, flat);
    flat.remove("format");
    return flat;
  }

  static void writeDefaultIfAbsent(Home home) {
    if (!Files.exists(home.configFile())) {
      home.writeAtomically(home.configFile(), DEFAULT_CONTENT);
    }
  }

  /**
   * Sets one dotted key ({@code vault.backend}) in {@code config.yaml}, writing the default file first if there is
   * none. The file is edited line by line so that comments and layout survive; the result is read back, and when the
   * edit did not take (unusual hand formatting) the file is rewritten from its parsed content instead.
   */
  public static void set(Home home, String key, String value) {
    writeDefaultIfAbsent(home);
    Path file = home.configFile();
    String content;
    try {
      content = Files.readString(file);
    } catch (IOException e) {
      throw new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, "Cannot read " + file + ": " + oneLine(e.getMessage())
          + "; check its permissions.", e);
    }
    Map<String, String> before = read(file);
    String edited = edited(content, key, value);
    Map<String, String> expected = new TreeMap<>(before);
    expected.put(key, value);
    Path probe = file.resolveSibling("." + file.getFileName() + ".edit" + ProcessHandle.current().pid());
    try {
      home.writeAtomically(probe, edited);
      boolean took;
      try {
        took = read(probe).equals(expected);
      } catch (AuthsomeException unreadable) {
        took = false;
      }
      home.writeAtomically(file, took ? edited : rewritten(expected));
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // a stray probe file is harmless
      }
    }
  }

  /** {@code content} with {@code section.name: value} set in place (nested under {@code section:}, or dotted). */
  static String edited(String content, String key, String value) {
    int dot = key.indexOf('.');
    String section = key.substring(0, dot);
    String name = key.substring(dot + 1);
    List<String> lines = new ArrayList<>(content.lines().toList());
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(Pattern.quote(key) + "\\s*:.*")) {
        lines.set(i, key + ": " + value);
        return String.join("\n", lines) + "\n";
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).matches(Pattern.quote(section) + "\\s*:\\s*(#.*)?")) {
        continue;
      }
      int insertAt = i + 1;
      for (int j = i + 1; j < lines.size() && (lines.get(j).isBlank() || lines.get(j).startsWith(" ")); j++) {
        if (lines.get(j).matches("\\s+" + Pattern.quote(name) + "\\s*:.*")) {
          String indent = lines.get(j).substring(0, lines.get(j).indexOf(name));
          lines.set(j, indent + name + ": " + value);
          return String.join("\n", lines) + "\n";
        }
        if (!lines.get(j).isBlank()) {
          insertAt = j + 1; // at the end of the section, after the comments that explain its keys
        }
      }
      lines.add(insertAt, "  " + name + ": " + value);
      return String.join("\n", lines) + "\n";
    }
    lines.add(section + ":");
    lines.add("  " + name + ": " + value);
    return String.join("\n", lines) + "\n";
  }

  private static String rewritten(Map<String, String> flat) {
    StringBuilder out = new StringBuilder("format: ").append(FORMAT).append('\n');
    Map<String, Map<String, String>> sections = new TreeMap<>();
    flat.forEach((k, v) -> {
      int dot = k.indexOf('.');
      String section = dot < 0 ? "" : k.substring(0, dot);
      sections.computeIfAbsent(section, s -> new TreeMap<>()).put(dot < 0 ? k : k.substring(dot + 1), v);
    });
    sections.forEach((section, entries) -> {
      if (section.isEmpty()) {
        entries.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
      } else {
        out.append(section).append(":\n");
        entries.forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
      }
    });
    return out.toString();
  }

  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      out.put(prefix, String.join(",", list.stream().map(String::valueOf).toList()));
    } else if (node != null) {
      out.put(prefix, String.valueOf(node));
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
