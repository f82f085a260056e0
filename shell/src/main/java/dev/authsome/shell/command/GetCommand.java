package dev.authsome.shell.command;

import dev.authsome.shell.App;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code authsome get PROVIDER}: a connection's fields, secrets redacted unless {@code --show-secret}. */
@Command(name = "get", description = "Show a connection (secrets redacted unless --show-secret).")
final class GetCommand extends Base {
  @Parameters(index = "0", paramLabel = "PROVIDER")
  String provider;

  @Option(names = "--connection", paramLabel = "NAME", description = "Connection name (default: the default one).")
  String connection;

  @Option(names = "--field", paramLabel = "NAME", description = "Print only this field (e.g. status, access_token).")
  String field;

  @Option(names = "--show-secret", description = "Print secrets in clear (refreshing an expiring token first).")
  boolean showSecret;

  GetCommand(App app) {
    super(app);
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
