package dev.authsome.shell.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.shell.App;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code authsome log}: the tail of the audit log (JSON lines, no secrets). */
@Command(name = "log", description = "Show the last entries of the audit log.")
final class LogCommand extends Base {
  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50", description = "How many entries (50).")
  int lines;

  LogCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() throws Exception {
    List<String> entries = engine().log(lines);
    if (json()) {
      ObjectMapper mapper = new ObjectMapper();
      List<Object> parsed = new ArrayList<>();
      for (String e : entries) {
        try {
          parsed.add(mapper.readValue(e, Object.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
          parsed.add(java.util.Map.of("unparsed", e));
        }
      }
      out().json(parsed);
    } else if (entries.isEmpty()) {
      out().note("No audit log found.");
    } else {
      entries.forEach(out()::value);
    }
    return 0;
  }
}
