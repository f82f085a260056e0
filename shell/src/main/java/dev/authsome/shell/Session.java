package dev.authsome.shell;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Many command lines run one after another in one process (the interactive shell): the same command model and error
 * handling as a one-shot run, one engine kept open between lines, and the global options forgotten after each line.
 */
public final class Session implements AutoCloseable {
  /** Where a session reads and writes, its environment and how it opens the plugin host. */
  public record Config(InputStream in, PrintStream stdout, PrintStream stderr, Map<String, String> env,
      Function<Path, App.Plugins> plugins) {
    public Config {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
      env = Map.copyOf(env);
      Objects.requireNonNull(plugins, "plugins");
    }
  }

  private final Config config;
  private final Globals globals = new Globals();
  private final PrintWriter out;
  private final PrintWriter err;
  private final Out output;
  private IntSupplier width = () -> 0;
  private java.util.function.Consumer<App> onNewApp = app -> { };
  private App app;
  /**
   * The command model: every subcommand, built by reflection, which takes longer than everything else before the
   * shell's first prompt; so the first one is built on a second thread while the terminal and the line reader are
   * set up, and whatever needs it (a command, completion, help) waits for it.
   */
  private volatile java.util.concurrent.CompletableFuture<CommandLine> commandLine;
  private @Nullable String vault;

  private Session(Config config) {
    this.config = config;
    this.out = new PrintWriter(new OutputStreamWriter(config.stdout(), StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(config.stderr(), StandardCharsets.UTF_8), true);
    this.output = new Out(out, err, globals, !"dumb".equals(config.env().get("TERM")));
    this.app = newApp();
    var first = new java.util.concurrent.CompletableFuture<CommandLine>();
    this.commandLine = first;
    Thread builder = new Thread(() -> {
      try {
        first.complete(newCommandLine());
      } catch (RuntimeException | LinkageError e) {
        first.completeExceptionally(e);
      }
    }, "authsome-commands");
    builder.setDaemon(true);
    builder.start();
  }

  private CommandLine commandLine() {
    try {
      return commandLine.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /** Opens a session whose commands may prompt on the terminal (standard input is one). */
  public static Session open(Config config) {
    return new Session(config);
  }

  /** The terminal width for tables, asked again on every line (the window may be resized). */
  public void width(IntSupplier columns) {
    this.width = columns;
    output.width(columns);
  }

  /** Called with each engine-holding {@link App} the session creates (the first one at once). */
  public void onNewApp(java.util.function.Consumer<App> hook) {
    this.onNewApp = hook;
    hook.accept(app);
  }

  /** Runs one command line and returns its exit code; nothing thrown escapes. */
  public int execute(List<String> words) {
    String[] args = words.toArray(String[]::new);
    String requestedVault = vaultOption(words);
    if (!Objects.equals(requestedVault, vault)) {
      // the engine is bound to a vault backend when built: another --vault needs another engine
      app.close();
      vault = requestedVault;
      app = newApp();
      commandLine = java.util.concurrent.CompletableFuture.completedFuture(newCommandLine());
      onNewApp.accept(app);
    }
    globals.reset();
    int columns = width.getAsInt();
    CommandLine commands = commandLine();
    if (columns > 0) {
      commands.setUsageHelpWidth(Math.max(55, Math.min(columns, 160)));
    }
    globals.json = Arrays.asList(args).contains("--json");
    globals.verbose = Arrays.asList(args).contains("--verbose");
    try {
      return commands.execute(args);
    } catch (RuntimeException | LinkageError e) {
      return Main.failure(output, e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command model, for completion and help. */
  public CommandSpec spec() {
    return commandLine().getCommandSpec();
  }

  /** The current run state (engine, plugins, output). */
  public App app() {
    return app;
  }

  public PrintWriter err() {
    return err;
  }

  public PrintWriter out() {
    return out;
  }

  private App newApp() {
    App created = new App(globals, output, config.in(), config.env(), true, config.plugins());
    output.width(width);
    return created;
  }

  private CommandLine newCommandLine() {
    CommandLine cl;
    try {
      // no arguments: every subcommand, as completion and help need the whole model
      cl = Main.commandLine(app, globals, output, out, err, new String[0]);
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the commands: " + e.getMessage(), e);
    }
    // `help` and `help COMMAND` inside the shell, where there is no `authsome --help` to type
    cl.addSubcommand("help", new CommandLine.HelpCommand());
    return cl;
  }

  private static @Nullable String vaultOption(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("--vault") && i + 1 < words.size()) {
        return words.get(i + 1);
      }
      if (w.startsWith("--vault=")) {
        return w.substring("--vault=".length());
      }
    }
    return null;
  }

  @Override
  public void close() {
    app.close();
    out.flush();
    err.flush();
  }
}
