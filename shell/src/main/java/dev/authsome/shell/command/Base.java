package dev.authsome.shell.command;

import dev.authsome.core.Authsome;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import dev.authsome.shell.Out;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command shares: the run's {@link App} and the global options. */
abstract class Base implements Callable<Integer> {
  final App app;

  @Mixin GlobalOptions globalOptions;

  static final String HELP = "Show this help and exit.";

  @Option(names = {"-h", "--help"}, usageHelp = true, description = HELP)
  boolean help;

  Base(App app) {
    this.app = app;
  }

  Out out() {
    return app.out();
  }

  Authsome engine() {
    return app.engine();
  }

  boolean json() {
    return app.globals().json();
  }
}
