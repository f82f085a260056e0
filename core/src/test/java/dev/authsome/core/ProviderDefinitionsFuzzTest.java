package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProviderDefinitions.Format;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds malformed provider documents (mutated bytes of real ones, and well-formed documents whose fields hold values
 * of random types) to the reader. The only failure allowed is an {@link AuthsomeException}; whatever is accepted must
 * survive validation without any other exception and round-trip through both writers. Seeded, so a failure
 * reproduces.
 */
class ProviderDefinitionsFuzzTest {
  private static final String[] SEEDS = {"github.yaml", "python-era/github.json", "python-era/openai.json",
      "python-era/figma-era-c.json"};
  private static final String TOKENS = "{}[]:,'\"\n\t -&*!|>#%@`?\\0x1.5e9";

  @Test
  void mutatedDocuments_onlyEverFailWithAuthsomeException() {
    Random random = new Random(20261127L);
    int accepted = 0;
    for (String seed : SEEDS) {
      byte[] original = ProviderDefinitionsTest.resource(seed).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 1500; i++) {
        byte[] mutated = mutate(original, random);
        String origin = seed + "#" + i;
        for (Format format : Format.values()) {
          accepted += check(() -> ProviderDefinitions.parse(mutated, format, origin));
        }
      }
    }
    // the property is vacuous if every mutation is rejected outright
    assertThat(accepted).isGreaterThan(100);
  }

  @Test
  void wrongValueTypes_inEveryKnownField_onlyEverFailWithAuthsomeException() {
    Random random = new Random(42L);
    Map<String, Object> base = ProviderDefinitions.toMap(
        ProviderDefinitionsTest.yaml(ProviderDefinitionsTest.resource("github.yaml")));
    List<String> paths = new ArrayList<>();
    collectPaths(base, "", paths);
    paths.addAll(List.of("host_url", "docs", "registration", "export.env", "oauth.supports_device_code",
        "api_key", "api_key.header_prefix", "metadata"));
    for (int i = 0; i < 4000; i++) {
      Map<String, Object> doc = deepCopy(base);
      for (int j = 0; j < 1 + random.nextInt(3); j++) {
        put(doc, paths.get(random.nextInt(paths.size())), randomValue(random, 2));
      }
      check(() -> ProviderDefinitions.fromMap(doc, "doc#"));
    }
  }

  private static int check(java.util.function.Supplier<ProviderDefinition> parse) {
    ProviderDefinition d;
    try {
      d = parse.get();
    } catch (AuthsomeException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return 0;
    }
    try {
      ProviderDefinitions.validate(d, "x", ProviderDefinitions.BUILTIN_FLOWS);
    } catch (AuthsomeException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER);
    }
    assertThat(ProviderDefinitions.parse(ProviderDefinitions.toYaml(d), Format.YAML, "y")).isEqualTo(d);
    assertThat(ProviderDefinitions.parse(ProviderDefinitions.toJson(d), Format.JSON, "j")).isEqualTo(d);
    return 1;
  }

  private static byte[] mutate(byte[] input, Random random) {
    StringBuilder s = new StringBuilder(new String(input, StandardCharsets.UTF_8));
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(5)) {
        case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(20)));
        case 1 -> s.insert(at, TOKENS.charAt(random.nextInt(TOKENS.length())));
        case 2 -> s.setCharAt(at, (char) random.nextInt(0x250));
        case 3 -> {
          int end = Math.min(s.length(), at + random.nextInt(40));
          s.insert(random.nextInt(s.length()), s.substring(at, end));
        }
        default -> s.replace(at, Math.min(s.length(), at + 5), String.valueOf(random.nextLong()));
      }
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Object randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> random.nextInt();
      case 1 -> random.nextBoolean();
      case 2 -> random.nextDouble();
      case 3 -> "";
      case 4 -> "https://example.com/" + random.nextInt(100);
      case 5 -> List.of();
      case 6 -> "{base_url}";
      case 7 -> List.of(randomValue(random, depth - 1), randomValue(random, depth - 1));
      default -> Map.of("k" + random.nextInt(3), randomValue(random, depth - 1));
    };
  }

  @SuppressWarnings("unchecked")
  private static void collectPaths(Map<String, Object> map, String prefix, List<String> out) {
    map.forEach((key, value) -> {
      out.add(prefix + key);
      if (value instanceof Map<?, ?> nested) {
        collectPaths((Map<String, Object>) nested, prefix + key + ".", out);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<String, Object> doc, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> current = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = current.get(parts[i]);
      if (!(next instanceof LinkedHashMap)) {
        next = next instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : new LinkedHashMap<String, Object>();
        current.put(parts[i], next);
      }
      current = (Map<String, Object>) next;
    }
    current.put(parts[parts.length - 1], value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return copy;
  }
}
