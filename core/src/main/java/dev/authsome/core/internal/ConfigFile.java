package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

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
    Node root;
    try {
      String text = Files.readString(file);
      // SnakeYAML's parser and composer, with its resolver for the plain scalars' types: every command reads this
      // file. Not its constructors (nor Jackson's YAML layer): their classes create a System.Logger, and the first one
      // makes the JDK look for a LoggerFinder service in every jar of the class path (~30 ms of a 240 ms `get`).
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      options.setNestingDepthLimit(16);
      root = new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options).getSingleNode();
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      // not the YAML: the file or the home folder around it cannot be read (AUTHSOME_HOME names a file, say)
      String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
      throw new AuthsomeException(ErrorCode.USAGE, "Cannot read " + file + " (" + oneLine(reason) + "); check that "
          + file.getParent() + " is a folder you can read, or point AUTHSOME_HOME at one.", e);
    } catch (RuntimeException e) {
      throw new AuthsomeException(ErrorCode.USAGE, "Cannot read " + file + ": " + oneLine(e.getMessage())
          + "; fix the YAML or delete the file to use the defaults.", e);
    }
    Map<String, String> flat = new TreeMap<>();
    if (root == null || isNull(root)) {
      return flat;
    }
    if (!(root instanceof MappingNode map)) {
      throw AuthsomeException.usage(file + " must be a YAML mapping (key: value), not "
          + (root instanceof SequenceNode ? "a list" : "a single value") + "; fix it or delete it.");
    }
    Node format = entries(file, "", map).get("format");
    if (format != null && (!(format instanceof ScalarNode n) || !n.getTag().equals(Tag.INT)
        || !n.getValue().matches("[1-9][0-9]{0,8}") || Integer.parseInt(n.getValue()) > FORMAT)) {
      throw AuthsomeException.usage(file + " has format " + text(format) + ", which this authsome does not read "
          + "(it reads formats 1 to " + FORMAT + "); upgrade authsome or fix the file.");
    }
    flatten(file, "", map, flat);
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

  private static void flatten(Path file, String prefix, Node node, Map<String, String> out) {
    if (node instanceof MappingNode map) {
      entries(file, prefix, map).forEach((k, v) -> flatten(file, prefix.isEmpty() ? k : prefix + "." + k, v, out));
    } else if (node instanceof SequenceNode list) {
      out.put(prefix, String.join(",", list.getValue().stream().map(ConfigFile::text).toList()));
    } else if (!isNull(node)) {
      out.put(prefix, text(node));
    }
  }

  /**
   * A mapping's entries by key, in order. As YAML 1.1 (and SnakeYAML's constructor) has it: a key may appear once,
   * and {@code <<: *anchor} merges another mapping's entries that the mapping does not set itself.
   */
  private static Map<String, Node> entries(Path file, String prefix, MappingNode map) {
    Map<String, Node> entries = new java.util.LinkedHashMap<>();
    List<Node> merged = new ArrayList<>();
    for (NodeTuple entry : map.getValue()) {
      Node key = entry.getKeyNode();
      if (key.getTag().equals(Tag.MERGE)) {
        merged.add(entry.getValueNode());
        continue;
      }
      String name = text(key);
      if (entries.put(name, entry.getValueNode()) != null) {
        throw AuthsomeException.usage(file + " sets " + (prefix.isEmpty() ? name : prefix + "." + name)
            + " twice; keep one of them.");
      }
    }
    for (Node source : merged) {
      List<Node> sources = source instanceof SequenceNode list ? list.getValue() : List.of(source);
      for (Node one : sources) {
        if (!(one instanceof MappingNode other)) {
          throw AuthsomeException.usage(file + ": '<<' under " + (prefix.isEmpty() ? "the top level" : prefix)
              + " must name a mapping (<<: *anchor); fix it or delete the file.");
        }
        entries(file, prefix, other).forEach(entries::putIfAbsent);
      }
    }
    return entries;
  }

  private static boolean isNull(Node node) {
    return node.getTag().equals(Tag.NULL);
  }

  /**
   * A scalar as the rest of authsome reads it, which is how SnakeYAML's constructor printed its values: booleans of
   * YAML 1.1 ({@code yes}, {@code on}) as {@code true}/{@code false}, integers without underscores or a plus sign,
   * anything else as written.
   */
  private static String text(Node node) {
    if (!(node instanceof ScalarNode scalar)) {
      return node instanceof SequenceNode list ? String.join(",", list.getValue().stream().map(ConfigFile::text).toList())
          : node.getTag().getValue();
    }
    String value = scalar.getValue();
    if (scalar.getTag().equals(Tag.BOOL)) {
      // the resolver tags only yes/no, true/false and on/off (in lower, Title or UPPER case) as booleans
      return String.valueOf(java.util.Set.of("yes", "true", "on").contains(value.toLowerCase(java.util.Locale.ROOT)));
    }
    if (scalar.getTag().equals(Tag.INT)) {
      String digits = value.replace("_", "");
      if (digits.matches("[-+]?(0|[1-9][0-9]*)")) {
        return new java.math.BigInteger(digits).toString();
      }
    }
    return value;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
