package dev.authsome.shell.command;

import dev.authsome.core.ExportVariable;
import dev.authsome.shell.App;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code authsome export [PROVIDER]}: prints credentials as environment variables (its purpose is to print secrets). */
@Command(name = "export", description = "Print credentials as environment variables (env, shell or json).")
final class ExportCommand extends Base {
  enum Format { env, shell, json }

  @Parameters(index = "0", arity = "0..1", paramLabel = "PROVIDER",
      description = "Provider to export; without it, every connection of every provider.")
  String provider;

  @Option(names = "--connection", paramLabel = "NAME", description = "Connection name (default: the default one).")
  String connection;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "env",
      description = "env (KEY=value), shell (export KEY='value') or json; default env.")
  Format format;

  ExportCommand(App app) {
    super(app);
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
