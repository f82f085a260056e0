package dev.authsome.core;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Type-checked, consuming access to one mapping of a parsed provider document. Every accessor removes the key it
 * reads, so what is left at the end is the mapping's unknown fields (kept as {@code extra}). A value of the wrong
 * type is an {@link ErrorCode#INVALID_PROVIDER} error naming the origin, the field path and the value.
 */
final class DefinitionFields {
  private final String origin;
  private final String path;
  private final Map<String, @Nullable Object> remaining;

  DefinitionFields(String origin, String path, Map<?, ?> source) {
    this.origin = origin;
    this.path = path;
    this.remaining = new LinkedHashMap<>();
    source.forEach((key, value) -> remaining.put(String.valueOf(key), value));
  }

  static AuthsomeException invalid(String origin, String message) {
    // a hostile file could put line breaks or terminal escapes in a value the message quotes: keep it one line
    return new AuthsomeException(ErrorCode.INVALID_PROVIDER, printable(
        "Invalid provider definition " + origin + ": " + message + "; fix the definition and try again."));
  }

  AuthsomeException invalidField(String key, String expected, @Nullable Object value) {
    return invalid(origin, "field '" + qualified(key) + "' must be " + expected + " (got " + describe(value) + ")");
  }

  String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return remaining.containsKey(key);
  }

  /** Removes and returns the raw value (null when absent or explicitly null). */
  @Nullable Object take(String key) {
    return remaining.remove(key);
  }

  @Nullable String string(String key) {
    Object value = take(key);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    throw invalidField(key, "a string", value);
  }

  String requiredString(String key) {
    boolean present = has(key);
    String value = string(key);
    if (value == null || value.isBlank()) {
      throw invalid(origin, "field '" + qualified(key) + "' is required"
          + (present ? " (got " + describe(value) + ")" : " but missing"));
    }
    return value;
  }

  boolean bool(String key, boolean defaultValue) {
    Object value = take(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw invalidField(key, "true or false", value);
  }

  int integer(String key, int defaultValue) {
    Object value = take(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Integer i) {
      return i;
    }
    if (value instanceof Long || value instanceof BigInteger) {
      throw invalidField(key, "a small integer", value);
    }
    throw invalidField(key, "an integer", value);
  }

  /** A list of strings; a single string is split on whitespace (the older files' space-separated scopes). */
  List<String> stringList(String key, boolean splitSingleString) {
    Object value = take(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      if (!splitSingleString) {
        return List.of(s);
      }
      String trimmed = s.trim();
      return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
    if (value instanceof List<?> list) {
      List<String> result = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw invalidField(key, "a list of strings", item);
        }
        result.add(s);
      }
      return result;
    }
    throw invalidField(key, "a string or a list of strings", value);
  }

  @Nullable Map<?, ?> map(String key) {
    Object value = take(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      return map;
    }
    throw invalidField(key, "a mapping", value);
  }

  /** A mapping whose values are scalars, each turned into its string form. */
  Map<String, String> scalarMap(String key) {
    Map<?, ?> map = map(key);
    if (map == null) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      Object value = entry.getValue();
      if (value == null) {
        continue;
      }
      if (value instanceof Map || value instanceof List) {
        throw invalidField(key + "." + entry.getKey(), "a single value", value);
      }
      result.put(String.valueOf(entry.getKey()), String.valueOf(value));
    }
    return result;
  }

  DefinitionFields nested(String key, Map<?, ?> map) {
    return new DefinitionFields(origin, qualified(key), map);
  }

  /** What no accessor consumed, without null values (absent and null mean the same). */
  Map<String, Object> rest() {
    Map<String, Object> result = new LinkedHashMap<>();
    remaining.forEach((key, value) -> {
      if (value != null) {
        result.put(key, value);
      }
    });
    return result;
  }

  static String describe(@Nullable Object value) {
    if (value == null) {
      return "nothing";
    }
    String text = value instanceof String ? "'" + value + "'" : String.valueOf(value);
    text = text.length() > 120 ? text.substring(0, 117) + "..." : text;
    return printable(text);
  }

  /**
   * {@code text} with control characters, C1 controls and bidirectional overrides shown as escapes ({@code \n},
   * {@code \u001b}), so that a value quoted in a message can neither break the line nor drive the terminal.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c >= 0x7f && c < 0xa0 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
          || c == 0x200e || c == 0x200f || c == 0x061c) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
