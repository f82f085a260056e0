package dev.authsome.shell.command;

import dev.authsome.core.Authsome;
import dev.authsome.shell.App;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code authsome}: the top command; without a subcommand it is a usage error. */
@Command(name = "authsome", versionProvider = RootCommand.Version.class, sortOptions = false,
    description = "A local credential broker for AI agents: log in once, use credentials everywhere.",
    subcommands = {LoginCommand.class, ListCommand.class, GetCommand.class, InspectCommand.class,
        ExportCommand.class, LogoutCommand.class, RevokeCommand.class, RemoveCommand.class, RegisterCommand.class,
        WhoamiCommand.class, DoctorCommand.class, LogCommand.class, ConnectionCommand.class, VaultCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 unexpected, 2 usage, 3 provider not found, 4 authentication failed, "
        + "5 credential missing, 6 refresh failed, 7 vault unavailable, 8 input cancelled, 9 port in use, "
        + "10 connection exists."})
public final class RootCommand extends Base {
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  RootCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing command (for example 'authsome list')");
  }

  /** {@code authsome 0.1.0}. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"authsome " + Authsome.VERSION};
    }
  }
}
