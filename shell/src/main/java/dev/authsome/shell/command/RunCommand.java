package dev.authsome.shell.command;

import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code authsome run [--port N] -- COMMAND [ARGS...]}: runs one command behind the credential proxy, so it uses the
 * connected providers' credentials without ever holding them. The proxy types are reached only through
 * {@link RunSession}, so that building this command (help, completion) loads none of the proxy's libraries.
 */
final class RunCommand extends Base implements CodeModel.Declared {
  int port;
  List<String> command;

  RunCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "run",
        "Run a command behind the credential proxy: its requests to connected providers get your credentials added"
            + " on the way out, while the command itself sees only placeholders.",
        "Exits with the command's status (127: not found, 126: not executable, 128+N: killed by signal N).");
    spec.usageMessage().sortOptions(false).footer("", "Example: authsome run -- python agent.py");
    spec.addOption(OptionSpec.builder("--port").paramLabel("N").defaultValue("0")
        .description("Port of the proxy on 127.0.0.1 (default: any free port).").type(int.class).initialValue(0)
        .getter(CodeModel.bind(() -> port, v -> port = v)).setter(CodeModel.bind(() -> port, v -> port = v))
        .build());
    spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("1..*").paramLabel("COMMAND").required(true)
        .description("The command and its arguments (put them after --; no shell is involved).")
        .type(List.class).auxiliaryTypes(String.class)
        .getter(CodeModel.bind(() -> command, v -> command = v))
        .setter(CodeModel.bind(() -> command, v -> command = v)).build());
    return spec;
  }

  @Override
  public Integer call() {
    return RunSession.run(app, port, command);
  }
}
