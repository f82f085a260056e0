package dev.authsome.shell;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --json --quiet --no-color --verbose --vault}, mixed into every command. The setters only ever switch an
 * option on, so picocli resetting one command's copy never undoes what was given to another.
 */
public final class GlobalOptions {
  private final Globals globals;

  public GlobalOptions(Globals globals) {
    this.globals = globals;
  }

  static final String JSON = "Machine-readable JSON output on stdout (errors too).";
  static final String QUIET = "Print no informational messages (values and JSON still print).";
  static final String NO_COLOR = "Do not colour the output.";
  static final String VERBOSE = "Print details of unexpected errors (stack traces) on stderr.";
  static final String VAULT = "Vault backend for this run (file, memory, ...); overrides AUTHSOME_VAULT and config.yaml.";

  /**
   * Adds these options to a command whose model is built in code (the annotations below serve the others): the same
   * names, labels and descriptions, set through the same methods.
   */
  public void addTo(CommandSpec spec) {
    spec.addOption(flag("--json", JSON, this::json));
    spec.addOption(flag("--quiet", QUIET, this::quiet));
    spec.addOption(flag("--no-color", NO_COLOR, this::noColor));
    spec.addOption(flag("--verbose", VERBOSE, this::verbose));
    spec.addOption(OptionSpec.builder("--vault").paramLabel("BACKEND").description(VAULT).type(String.class)
        .setter(setter(this::vault)).build());
  }

  private static OptionSpec flag(String name, String description, java.util.function.Consumer<Boolean> set) {
    return OptionSpec.builder(name).description(description).type(boolean.class).initialValue(false)
        .setter(setter(set)).build();
  }

  /** A write-only binding: these options are only ever switched on (see the class comment). */
  private static <V> ISetter setter(java.util.function.Consumer<V> set) {
    return new ISetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T set(T value) {
        set.accept((V) value);
        return null;
      }
    };
  }

  @Option(names = "--json", description = JSON)
  void json(boolean on) {
    globals.json |= on;
  }

  @Option(names = "--quiet", description = QUIET)
  void quiet(boolean on) {
    globals.quiet |= on;
  }

  @Option(names = "--no-color", description = NO_COLOR)
  void noColor(boolean on) {
    globals.noColor |= on;
  }

  @Option(names = "--verbose", description = VERBOSE)
  void verbose(boolean on) {
    globals.verbose |= on;
  }

  @Option(names = "--vault", paramLabel = "BACKEND", description = VAULT)
  void vault(String backend) {
    if (backend != null) {
      globals.vault = backend;
    }
  }
}
