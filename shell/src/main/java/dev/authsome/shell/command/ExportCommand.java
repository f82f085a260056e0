package dev.authsome.shell.command;

import dev.authsome.core.ExportVariable;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome export [PROVIDER]}: prints credentials as environment variables (its purpose is to print secrets). */
final class ExportCommand extends Base implements CodeModel.Declared {
  enum Format { env, shell, json }

  String provider;
  String connection;
  Format format;

  ExportCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "export",
        "Print credentials as environment variables (env, shell or json).");
    spec.addPositional(CodeModel.positional("0", "0..1", "PROVIDER",
        "Provider to export; without it, every connection of every provider.", String.class, () -> provider,
        v -> provider = v));
    spec.addOption(CodeModel.connection(() -> connection, v -> connection = v));
    spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("--format").paramLabel("FORMAT").defaultValue("env")
        .description("env (KEY=value), shell (export KEY='value') or json; default env.").type(Format.class)
        .getter(CodeModel.bind(() -> format, v -> format = v)).setter(CodeModel.bind(() -> format, v -> format = v))
        .build());
    return spec;
  }

  @Override
  public Integer call() {
    if (connection != null && provider == null) {
      throw dev.authsome.core.AuthsomeException.usage("--connection needs a PROVIDER; run 'authsome export PROVIDER "
          + "--connection " + connection + "'.");
    }
    List<ExportVariable> vars = engine().export(provider, connection);
    Format f = json() ? Format.json : format;
    switch (f) {
      case json -> {
        Map<String, String> m = new LinkedHashMap<>();
        vars.forEach(v -> m.put(v.name(), v.value().reveal()));
        out().json(m);
      }
      case shell -> vars.forEach(v -> out().value("export " + v.name() + "=" + shellQuote(v.value().reveal())));
      default -> vars.forEach(v -> out().value(v.name() + "=" + v.value().reveal()));
    }
    out().note("Note: these are live secrets; prefer 'authsome run -- COMMAND' to give one command scoped access.");
    return 0;
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}
