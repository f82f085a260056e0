package dev.authsome.shell;

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

  @Option(names = "--json", description = "Machine-readable JSON output on stdout (errors too).")
  void json(boolean on) {
    globals.json |= on;
  }

  @Option(names = "--quiet", description = "Print no informational messages (values and JSON still print).")
  void quiet(boolean on) {
    globals.quiet |= on;
  }

  @Option(names = "--no-color", description = "Do not colour the output.")
  void noColor(boolean on) {
    globals.noColor |= on;
  }

  @Option(names = "--verbose", description = "Print details of unexpected errors (stack traces) on stderr.")
  void verbose(boolean on) {
    globals.verbose |= on;
  }

  @Option(names = "--vault", paramLabel = "BACKEND",
      description = "Vault backend for this run (file, memory, ...); overrides AUTHSOME_VAULT and config.yaml.")
  void vault(String backend) {
    if (backend != null) {
      globals.vault = backend;
    }
  }
}
