package dev.authsome.shell.command;

import dev.authsome.core.Authsome;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** {@code authsome}: the top command; without a subcommand it is a usage error. Its model is built in code. */
public final class RootCommand extends Base implements CodeModel.Declared {
  /**
   * Every subcommand, in the order help lists them. Only the one a command line names is built (picocli builds a
   * command's model by reflection, which costs short commands more than the rest of their work); help and unknown
   * commands get them all.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("login", LoginCommand.class);
    m.put("list", ListCommand.class);
    m.put("get", GetCommand.class);
    m.put("inspect", InspectCommand.class);
    m.put("export", ExportCommand.class);
    m.put("run", RunCommand.class);
    m.put("proxy", ProxyCommand.class);
    m.put("logout", LogoutCommand.class);
    m.put("revoke", RevokeCommand.class);
    m.put("remove", RemoveCommand.class);
    m.put("register", RegisterCommand.class);
    m.put("whoami", WhoamiCommand.class);
    m.put("doctor", DoctorCommand.class);
    m.put("log", LogCommand.class);
    m.put("connection", ConnectionCommand.class);
    m.put("vault", VaultCommand.class);
    m.put("completion", dev.authsome.shell.interactive.CompletionCommand.class);
    m.put("__complete", dev.authsome.shell.interactive.CompleteCommand.class);
    return Collections.unmodifiableMap(m);
  }

  /** The names of every subcommand, without building any (the interactive shell's history guard needs them first). */
  public static java.util.Set<String> commandNames() {
    return SUBCOMMANDS.keySet();
  }

  /** The command line for {@code args}, with only the subcommand it names (all of them when it names none). */
  public static CommandLine create(CommandLine.IFactory factory, String[] args) throws Exception {
    GlobalOptions globals = factory.create(GlobalOptions.class);
    CommandLine cl = new CommandLine(factory.create(RootCommand.class).model(globals), factory);
    String named = commandName(args);
    if (named == null && java.util.Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--version"))) {
      return cl; // the version needs no subcommand
    }
    for (Map.Entry<String, Class<?>> e : SUBCOMMANDS.entrySet()) {
      if (named == null || !SUBCOMMANDS.containsKey(named) || named.equals(e.getKey())) {
        Object command = factory.create(e.getValue());
        CommandLine sub = new CommandLine(command instanceof CodeModel.Declared declared
            ? declared.model(globals) : command, factory);
        if (e.getValue() == RunCommand.class) {
          // `authsome run curl -v URL`: everything from the command on is the child's, options included
          sub.setStopAtPositional(true);
        }
        cl.addSubcommand(e.getKey(), sub);
      }
    }
    return cl;
  }

  /** The first argument that is not an option or the value of {@code --vault} (the launcher reads it too). */
  public static @Nullable String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--vault")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  private @Nullable CommandSpec spec;
  boolean version;

  RootCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec s = CodeModel.command(this, globals, "authsome",
        "A local credential broker for AI agents: log in once, use credentials everywhere.");
    s.usageMessage().sortOptions(false).footer("", "Exit codes: 0 ok, 1 unexpected, 2 usage, 3 provider not found, "
        + "4 authentication failed, 5 credential missing, 6 refresh failed, 7 vault unavailable, 8 input cancelled, "
        + "9 port in use, 10 connection exists.");
    s.versionProvider(new Version());
    s.addOption(OptionSpec.builder("-v", "--version").versionHelp(true).description("Print the version and exit.")
        .type(boolean.class).initialValue(false).getter(CodeModel.bind(() -> version, v -> version = v))
        .setter(CodeModel.bind(() -> version, v -> version = v)).build());
    this.spec = s;
    return s;
  }

  @Override
  public Integer call() {
    throw new ParameterException(java.util.Objects.requireNonNull(spec).commandLine(),
        "Missing command (for example 'authsome list')");
  }

  /** {@code authsome 0.1.0}. */
  public static final class Version implements IVersionProvider {
    /** What {@code authsome --version} prints. */
    public static String line() {
      return "authsome " + Authsome.VERSION;
    }

    @Override
    public String[] getVersion() {
      return new String[] {line()};
    }
  }
}
