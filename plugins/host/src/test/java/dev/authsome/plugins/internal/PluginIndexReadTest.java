package dev.authsome.plugins.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index is read with the streaming parser; what it builds must be what Jackson's data binding built before. */
class PluginIndexReadTest {
  private static final String DOCUMENT = """
      {"format": 1, "jars": [
        {"path": "provider-a.jar", "size": 12, "mtime": 1733480000123, "plugin_id": null, "kind": "provider",
         "flows": [], "extensions": false, "error": null,
         "provider": {"name": "a", "display_name": "A \\u00e9\\u4e2d \\"quoted\\"", "port": 7998,
           "big": 123456789012345678901234567890, "ratio": 0.5, "exp": 1e3, "negative": -2147483649,
           "enabled": true, "off": false, "nothing": null, "empty": {}, "none": [],
           "nested": {"list": [1, "two", [3.0, {"four": 4}]], "dup": 1, "dup": 2}}},
        {"path": "flow-b.jar", "size": 7, "mtime": 0, "plugin_id": "b", "kind": "flow", "flows": ["b"],
         "provider": null, "extensions": true, "error": "broken: \\n newline"}
      ]}
      """;

  @Test
  void streamingReader_buildsWhatObjectMapperBuilt() throws Exception {
    Object expected = new ObjectMapper().readValue(DOCUMENT, Object.class);
    try (JsonParser parser = new JsonFactory().createParser(DOCUMENT)) {
      parser.nextToken();
      Object actual = PluginIndex.value(parser);
      assertThat(actual).isEqualTo(expected);
      // same number types, not just equal printed values
      Map<?, ?> provider = (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) actual).get("jars")).get(0)).get("provider");
      Map<?, ?> expectedProvider =
          (Map<?, ?>) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) expected).get("jars")).get(0)).get("provider");
      for (Object key : expectedProvider.keySet()) {
        Object value = expectedProvider.get(key);
        assertThat(provider.get(key)).as("%s", key).isEqualTo(value);
        if (value != null) {
          assertThat(provider.get(key)).as("%s", key).isExactlyInstanceOf(value.getClass());
        }
      }
    }
  }

  @Test
  void read_givesTheEntriesOfTheFile_andNothingForDamagedOrTruncatedOnes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("index.json");
    Files.writeString(file, DOCUMENT, StandardCharsets.UTF_8);
    Map<String, IndexEntry> entries = PluginIndex.read(file);
    assertThat(entries).containsOnlyKeys("provider-a.jar", "flow-b.jar");
    assertThat(entries.get("provider-a.jar").provider()).containsEntry("name", "a").containsEntry("port", 7998);
    assertThat(entries.get("flow-b.jar").flows()).containsExactly("b");
    assertThat(entries.get("flow-b.jar").error()).isEqualTo("broken: \n newline");

    Files.writeString(file, DOCUMENT.substring(0, DOCUMENT.length() / 2), StandardCharsets.UTF_8);
    assertThat(PluginIndex.read(file)).as("truncated").isEmpty();
    Files.writeString(file, DOCUMENT + "{}", StandardCharsets.UTF_8);
    assertThat(PluginIndex.read(file)).as("trailing content").isEmpty();
    Files.writeString(file, "[1, 2]", StandardCharsets.UTF_8);
    assertThat(PluginIndex.read(file)).as("not an index").isEmpty();
  }

  @Test
  void writeThenRead_roundTrips(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cache/plugin-index.json");
    IndexEntry entry = new IndexEntry("/x/provider-c.jar", 3, 4, "c", List.of("c-flow"),
        Map.of("name", "c", "port", 1), true, null, false);
    IndexEntry validated = new IndexEntry("/x/provider-d.jar", 5, 6, "d", List.of(), Map.of("name", "d"), false, null,
        true);
    PluginIndex.write(file, List.of(entry, validated));
    assertThat(PluginIndex.read(file)).containsOnly(Map.entry("/x/provider-c.jar", entry),
        Map.entry("/x/provider-d.jar", validated));
  }
}
