package dev.authsome.shell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --json} output is written with Jackson's streaming generator, not databind: scripts parse it, so it must be
 * the same text databind wrote with the same pretty printer, value for value.
 */
class OutJsonTest {
  private static final ObjectMapper DATABIND = new ObjectMapper();

  record Connection(String provider, int expiresIn) {
  }

  @Test
  void plainData_isWrittenExactlyAsDatabindWroteIt() throws Exception {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("provider", "openai");
    nested.put("status", "connected");
    nested.put("expires_at", null);
    nested.put("count", 3);
    nested.put("big", 1L << 40);
    nested.put("ratio", 1.5);
    nested.put("huge", 1e20);
    nested.put("negative_zero", -0.0);
    nested.put("ok", true);
    nested.put("escapes", "quote \" backslash \\ tab \t newline \n bell \u0007 é 日本 😀");
    nested.put("empty_map", Map.of());
    nested.put("empty_list", List.of());
    nested.put("unit", TimeUnit.SECONDS);
    nested.put("scopes", List.of("repo", "read:org"));
    nested.put("sorted", new TreeMap<>(Map.of("b", 2, "a", 1)));
    List<Object> list = new ArrayList<>();
    list.add(nested);
    list.add(null);
    list.add(List.of(List.of(), Map.of("k", List.of(1, 2))));
    for (Object value : List.of(nested, list, List.of(), Map.of(), "text", 42, true)) {
      assertThat(Out.jsonText(value)).isEqualTo(DATABIND.writer(new Out.Pretty()).writeValueAsString(value));
    }
  }

  @Test
  void otherObjects_stillGoThroughDatabind() throws Exception {
    Map<String, Object> value = Map.of("connection", new Connection("github", 3600));
    assertThat(Out.jsonText(value)).isEqualTo(DATABIND.writer(new Out.Pretty()).writeValueAsString(value))
        .contains("\"expiresIn\": 3600");
  }
}
