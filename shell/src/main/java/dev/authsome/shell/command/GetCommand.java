package dev.authsome.shell.command;

import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome get PROVIDER}: a connection's fields, secrets redacted unless {@code --show-secret}. */
final class GetCommand extends Base implements CodeModel.Declared {
  String provider;
  String connection;
  String field;
  boolean showSecret;

  GetCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "get",
        "Show a connection (secrets redacted unless --show-secret).");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    spec.addOption(CodeModel.connection(() -> connection, v -> connection = v));
    spec.addOption(CodeModel.option("--field", "NAME", "Print only this field (e.g. status, access_token).",
        String.class, () -> field, v -> field = v));
    spec.addOption(CodeModel.flag("--show-secret", "Print secrets in clear (refreshing an expiring token first).",
        () -> showSecret, v -> showSecret = v));
    return spec;
  }

  @Override
  public Integer call() {
    Map<String, Object> fields = engine().get(provider, connection, showSecret, field);
    if (showSecret) {
      out().note("Warning: secret printed to stdout; it may stay in your terminal scrollback and shell history.");
    }
    if (json()) {
      out().json(fields);
    } else if (field != null) {
      out().value(Render.text(fields.get(field)));
    } else {
      fields.forEach((k, v) -> out().value(k + ": " + Render.text(v)));
    }
    return 0;
  }
}
