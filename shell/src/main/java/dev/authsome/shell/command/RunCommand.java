package dev.authsome.shell.command;

import dev.authsome.shell.App;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code authsome run [--port N] -- COMMAND [ARGS...]}: runs one command behind the credential proxy, so it uses the
 * connected providers' credentials without ever holding them. The proxy types are reached only through
 * {@link RunSession}, so that building this command (help, completion) loads none of the proxy's libraries.
 */
@Command(name = "run", sortOptions = false,
    description = {"Run a command behind the credential proxy: its requests to connected providers get your "
        + "credentials added on the way out, while the command itself sees only placeholders.",
        "Exits with the command's status (127: not found, 126: not executable, 128+N: killed by signal N)."},
    footer = {"", "Example: authsome run -- python agent.py"})
final class RunCommand extends Base {
  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "Port of the proxy on 127.0.0.1 (default: any free port).")
  int port;

  @Parameters(arity = "1..*", paramLabel = "COMMAND",
      description = "The command and its arguments (put them after --; no shell is involved).")
  List<String> command;

  RunCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    return RunSession.run(app, port, command);
  }
}
