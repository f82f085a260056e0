package dev.authsome.shell;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.shell.command.RootCommand;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code authsome}: parses the command line, runs the command, maps errors to exit codes. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    // picocli's default factory looks for Groovy's Closure class once; on the class path that lookup opens every jar
    // of lib/ to find nothing (about 45 ms of each start). authsome has no Groovy.
    System.setProperty("picocli.disable.closures", "true");
    String command = RootCommand.commandName(args);
    if (command != null && !command.equals("__complete") && !command.equals("completion")) {
      Prewarm.start(); // what reading the vault needs, on the second core (not for the shell, help or completion)
    }
    int code = run(args, System.in, System.out, System.err, System.getenv(), stdinIsTerminal(),
        PluginHostBridge::open);
    System.out.flush();
    System.err.flush();
    if (endsWithHalt(args)) {
      // From Java 21 on, System.exit first looks up a System.Logger for its exit event, which on the class path reads
      // every jar of lib/ for a LoggerFinder service: about 60 ms of a 250 ms command. A short command has closed all
      // it opened when run returns, and authsome registers no shutdown hook, so it ends without that lookup.
      Runtime.getRuntime().halt(code);
    }
    System.exit(code);
  }

  /**
   * Whether the command ends with {@link Runtime#halt}: every command but the interactive shell and those that may hold
   * a terminal, a child process or a server when they end (login and register prompt, run and proxy serve, vault
   * commands migrate), which keep the orderly exit with shutdown hooks.
   */
  static boolean endsWithHalt(String[] args) {
    String command = RootCommand.commandName(args);
    if (args.length == 0) {
      return false;
    }
    return command == null || !java.util.Set.of("run", "proxy", "login", "register", "vault").contains(command);
  }

  /**
   * Whether standard input and output are a terminal. Up to Java 21 that is {@code System.console() != null}; from
   * Java 22 on a console exists even on pipes, and only {@code Console.isTerminal()} (looked up by reflection: the
   * code is compiled for 17) tells, so that a piped run still exits 2 instead of prompting or opening the shell.
   */
  static boolean stdinIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17 to 21: a console exists only on a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Runs one command line and returns the exit code. Streams, environment and plugin host are parameters so that
   * tests can run the shell in-process.
   */
  public static int run(String[] args, InputStream in, PrintStream stdout, PrintStream stderr,
      Map<String, String> env, boolean stdinIsTerminal, Function<Path, App.Plugins> plugins) {
    Globals globals = new Globals();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    Out output = new Out(out, err, globals, stdinIsTerminal && env.get("TERM") != null);
    // --json decides the error format even when parsing fails before the option is reached; what follows "--" is
    // another program's command line (authsome run -- CMD --json)
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
      // The version needs no command model: scripts that check it should not wait for picocli to read every option.
      out.println(RootCommand.Version.line());
      out.flush();
      return 0;
    }
    List<String> own = ownArguments(args);
    globals.json = own.contains("--json");
    globals.verbose = own.contains("--verbose");
    if (args.length == 0 && stdinIsTerminal) {
      // No command on a terminal: the interactive shell (JLine is loaded only here and by terminal prompts)
      int code = dev.authsome.shell.interactive.Shell.run(new Session.Config(in, stdout, stderr, env, plugins));
      if (code != dev.authsome.shell.interactive.Shell.NOT_A_TERMINAL) {
        return code;
      }
    }
    if (stdinIsTerminal) {
      // tables fit the window when the shell exports its width
      output.width(() -> columns(env.get("COLUMNS")));
    }
    try (App app = new App(globals, output, in, env, stdinIsTerminal, plugins)) {
      CommandLine cl = commandLine(app, globals, output, out, err, args);
      if (args.length == 0) {
        // not a terminal: say how to use it and fail (exit 2) rather than wait for input that will not come
        cl.usage(err);
      }
      return cl.execute(args);
    } catch (Exception | LinkageError e) {
      return failure(output, e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The command model with its error handlers, shared by one-shot runs and the interactive shell; only the
   * subcommand {@code args} names is built (all of them for no arguments).
   */
  static CommandLine commandLine(App app, Globals globals, Out output, PrintWriter out, PrintWriter err,
      String[] args) throws Exception {
    CommandLine cl = RootCommand.create(new Factory(app, globals), args);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ParameterException e, String[] a) -> usageError(output, e));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> failure(output, e));
    return cl;
  }

  private static int usageError(Out out, ParameterException e) {
    String command = e.getCommandLine().getCommandSpec().qualifiedName();
    String message = oneLine(inUsersWords(e)) + "; run '" + command + " --help' for usage.";
    return report(out, ErrorCode.USAGE, message);
  }

  /**
   * picocli's "Unmatched argument at index 0: 'lst'" in the user's words: a word where a command is expected is an
   * unknown command (with the closest one, when picocli finds it), a word after the last parameter is one too many.
   * Unknown options keep picocli's message, which already says so.
   */
  private static String inUsersWords(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
        && !unmatched.isUnknownOption()) {
      String word = unmatched.getUnmatched().get(0);
      CommandLine.Model.CommandSpec spec = unmatched.getCommandLine().getCommandSpec();
      if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
        List<String> closest = unmatched.getSuggestions().stream()
            .filter(s -> spec.subcommands().containsKey(s)
                && !spec.subcommands().get(s).getCommandSpec().usageMessage().hidden()).toList();
        return "Unknown command '" + word + "'"
            + (closest.isEmpty() ? "" : " (did you mean '" + closest.get(0) + "'?)");
      }
      return "Unexpected argument '" + word + "'";
    }
    return e.getMessage();
  }

  static int failure(Out out, Throwable e) {
    if (e instanceof AuthsomeException ae) {
      if (out.globals().verbose && ae.getCause() != null) {
        ae.getCause().printStackTrace(out.err());
      }
      return report(out, ae.code(), oneLine(ae.getMessage()));
    }
    if (out.globals().verbose) {
      e.printStackTrace(out.err());
    }
    String what = e.getMessage() == null ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + oneLine(e.getMessage());
    return report(out, ErrorCode.UNEXPECTED, "Unexpected error (" + what + ")"
        + (out.globals().verbose ? "." : "; run again with --verbose for details."));
  }

  private static int report(Out out, ErrorCode code, String message) {
    if (out.json()) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("error", code.errorName());
      error.put("message", message);
      error.put("exit_code", code.exitCode());
      out.json(error);
    } else {
      out.error(message);
    }
    return code.exitCode();
  }

  private static List<String> ownArguments(String[] args) {
    List<String> all = Arrays.asList(args);
    int end = all.indexOf("--");
    return end < 0 ? all : all.subList(0, end);
  }

  private static int columns(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** Builds commands with the run's {@link App} and mixins bound to its {@link Globals}. */
  private static final class Factory implements CommandLine.IFactory {
    private final App app;
    private final Globals globals;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(App app, Globals globals) {
      this.app = app;
      this.globals = globals;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == GlobalOptions.class) {
        return cls.cast(new GlobalOptions(globals));
      }
      // Commands take the App, package-private helpers (version provider, converters) nothing; found without
      // throwing, as exceptions cost a short command more than the lookup (picocli's own factory throws twice)
      java.lang.reflect.Constructor<?> noArguments = null;
      for (var constructor : cls.getDeclaredConstructors()) {
        var parameters = constructor.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == App.class) {
          constructor.setAccessible(true);
          return cls.cast(constructor.newInstance(app));
        }
        if (parameters.length == 0) {
          noArguments = constructor;
        }
      }
      if (noArguments != null && !cls.isInterface() && !java.lang.reflect.Modifier.isAbstract(cls.getModifiers())) {
        noArguments.setAccessible(true);
        return cls.cast(noArguments.newInstance());
      }
      return fallback.create(cls);
    }
  }
}
