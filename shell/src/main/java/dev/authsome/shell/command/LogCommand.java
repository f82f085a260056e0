package dev.authsome.shell.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome log}: the tail of the audit log (JSON lines, no secrets). */
final class LogCommand extends Base implements CodeModel.Declared {
  int lines;

  LogCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "log", "Show the last entries of the audit log.");
    spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("-n", "--lines").paramLabel("N").defaultValue("50")
        .description("How many entries (50).").type(int.class).initialValue(50)
        .getter(CodeModel.bind(() -> lines, v -> lines = v)).setter(CodeModel.bind(() -> lines, v -> lines = v))
        .build());
    return spec;
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
