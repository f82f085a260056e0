package dev.authsome.shell.command;

import dev.authsome.shell.App;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code authsome connection set-default PROVIDER NAME}. */
@Command(name = "connection", description = "Manage connections.", subcommands = ConnectionCommand.SetDefault.class)
final class ConnectionCommand extends Base {
  @Spec CommandSpec spec;

  ConnectionCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand (set-default)");
  }

  /** Makes a connection the provider's default (used when --connection is omitted). */
  @Command(name = "set-default", description = "Make a connection the provider's default.")
  static final class SetDefault extends Base {
    @Parameters(index = "0", paramLabel = "PROVIDER", description = CodeModel.PROVIDER_DESCRIPTION)
    String provider;

    @Parameters(index = "1", paramLabel = "NAME",
        description = "Connection that commands use when --connection is omitted (see 'authsome list').")
    String connection;

    SetDefault(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      engine().setDefaultConnection(provider, connection);
      if (json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("provider", provider);
        m.put("default_connection", connection);
        out().json(m);
      } else {
        out().info("Default connection of " + provider + " is now " + connection + ".");
      }
      return 0;
    }
  }
}
