package dev.authsome.shell;

import dev.authsome.core.Authsome;
import dev.authsome.core.Settings;
import dev.authsome.core.spi.InputCollector;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One run of the command line: the streams, the global options and the engine, built on first use so that a command
 * pays only for what it touches (the plugin host is created only when a provider or flow is needed).
 */
public final class App implements AutoCloseable {
  /** The plugin host as the shell needs it; created lazily for a home. */
  public interface Plugins extends AutoCloseable {
    dev.authsome.core.spi.ProviderCatalogue catalogue();

    dev.authsome.core.spi.FlowRegistry flows();

    /** Jars and files that could not be used, one line each (for {@code doctor}). */
    List<String> problems();

    @Override
    void close();
  }

  final Globals globals;
  final Out out;
  final InputStream stdin;
  final Map<String, String> environment;
  final boolean stdinIsTerminal;
  private final Function<Path, Plugins> pluginsFactory;
  private @Nullable Authsome engine;
  private @Nullable Plugins plugins;
  private final DelegatingInput input = new DelegatingInput();
  private @Nullable Supplier<InputCollector> terminalPrompt;
  private @Nullable Function<Thread, Restorer> sigint;

  App(Globals globals, Out out, InputStream stdin, Map<String, String> environment, boolean stdinIsTerminal,
      Function<Path, Plugins> pluginsFactory) {
    this.globals = globals;
    this.out = out;
    this.stdin = stdin;
    this.environment = environment;
    this.stdinIsTerminal = stdinIsTerminal;
    this.pluginsFactory = pluginsFactory;
  }

  public Out out() {
    return out;
  }

  public Globals globals() {
    return globals;
  }

  public InputStream stdin() {
    return stdin;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** Whether a person can be prompted (standard input is a terminal). */
  public boolean interactive() {
    return stdinIsTerminal;
  }

  /** The engine, built on first call. */
  public synchronized Authsome engine() {
    if (engine == null) {
      Map<String, String> flags = new HashMap<>();
      if (globals.vault != null) {
        flags.put(Settings.VAULT_BACKEND, globals.vault);
      }
      Path home = Authsome.Builder.defaultHome(environment);
      engine = Authsome.builder()
          .home(home)
          .environment(environment)
          .flags(flags)
          .catalogue(() -> plugins(home).catalogue())
          .flows(() -> plugins(home).flows())
          .diagnostics(() -> plugins(home).problems())
          .input(input)
          .progress(out.err())
          .warnings(out::warn)
          .build();
    }
    return engine;
  }

  /** The installed providers and flows (the plugin host, opened on first use). */
  public Plugins plugins() {
    return plugins(Authsome.Builder.defaultHome(environment));
  }

  /**
   * Routes terminal prompts through {@code prompt} instead of opening the system terminal (the interactive shell
   * prompts through its own line reader, so that masking, Ctrl-C and the screen stay consistent).
   */
  public void promptWith(Supplier<InputCollector> prompt) {
    terminalPrompt = prompt;
  }

  /** The collector that prompts on the terminal, for {@link InputCollectors#standard}. */
  InputCollector terminalPrompt() {
    Supplier<InputCollector> prompt = terminalPrompt;
    return prompt != null ? prompt.get() : new TerminalInput(out.err());
  }

  /** The browser form as an input source for a login (see {@link InputCollectors#standard}). */
  public InputCollectors.Source browserInput(boolean noBrowser, java.time.Duration timeout) {
    return BrowserInput.source(this, noBrowser, timeout);
  }

  /** Routes Ctrl-C to interrupting {@code target} (a running login) until the returned handle is closed. */
  public Restorer interruptOnSigint(Thread target) {
    Function<Thread, Restorer> routing = sigint;
    return routing != null ? routing.apply(target) : SigInt.interrupting(target);
  }

  /**
   * Replaces how {@link #interruptOnSigint} routes Ctrl-C (the interactive shell already interrupts the command it
   * runs, and must not let a second Ctrl-C end the whole process).
   */
  public void sigintWith(Function<Thread, Restorer> routing) {
    sigint = routing;
  }

  /**
   * Whether Ctrl-C is routed elsewhere ({@link #sigintWith}: the interactive shell), so that a command which takes
   * SIGINT for a while must hand it back when it ends; a one-shot run exits instead.
   */
  public boolean sigintRouted() {
    return sigint != null;
  }

  /** Undoes a temporary setting when closed. */
  public interface Restorer extends AutoCloseable {
    @Override
    void close();
  }

  /** Sets where the next login takes its missing input from. */
  public void useInput(InputCollector collector) {
    input.delegate = collector;
  }

  private synchronized Plugins plugins(Path home) {
    if (plugins == null) {
      plugins = pluginsFactory.apply(home);
    }
    return plugins;
  }

  @Override
  public void close() {
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      if (plugins != null) {
        plugins.close();
      }
    }
  }

  /**
   * Every secret a login collects from now on, from whichever source (standard input, the browser form, a masked
   * prompt), is handed to {@code seen}: the interactive shell keeps lines containing one out of its history.
   */
  public void onSecretCollected(java.util.function.Consumer<String> seen) {
    input.secretsSeen = java.util.Objects.requireNonNull(seen, "seen");
  }

  /** Every collection goes through here, whatever the source, so no source can bypass {@link #onSecretCollected}. */
  static final class DelegatingInput implements InputCollector {
    volatile InputCollector delegate = InputCollectors.none();
    volatile java.util.function.Consumer<String> secretsSeen = secret -> { };

    @Override
    public Map<String, dev.authsome.core.Secret> collect(dev.authsome.core.spi.InputRequest request) {
      Map<String, dev.authsome.core.Secret> values = delegate.collect(request);
      for (dev.authsome.core.spi.InputField field : request.fields()) {
        dev.authsome.core.Secret value = values.get(field.name());
        if (field.secret() && value != null) {
          secretsSeen.accept(value.reveal());
        }
      }
      return values;
    }
  }
}
