package dev.authsome.shell.interactive;

import dev.authsome.shell.App;
import dev.authsome.shell.command.RootCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code authsome __complete [--describe] -- WORD...}: the candidates for the last word, one a line, for the bash
 * and zsh completion scripts (hidden; it is their helper, not a command for people).
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates for the last word (helper).")
public final class CompleteCommand implements Callable<Integer> {
  private final App app;

  @Spec CommandSpec spec;

  @Option(names = "--describe", description = "Print value:description (zsh).")
  boolean describe;

  @Parameters(paramLabel = "WORD", arity = "0..*")
  List<String> words = new ArrayList<>();

  /** Built by the command factory with the run's {@link App}. */
  public CompleteCommand(App app) {
    this.app = app;
  }

  @Override
  public Integer call() throws Exception {
    List<String> before = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    String current = words.isEmpty() ? "" : words.get(words.size() - 1);
    // this run built only the __complete subcommand; candidates need the model of the command being completed, or
    // of them all while the command itself is the word being completed (each Tab in bash or zsh is one run)
    CommandSpec root = RootCommand.create(spec.root().commandLine().getFactory(), before.toArray(String[]::new))
        .getCommandSpec();
    Completions completions = new Completions(root, () -> app);
    for (Completions.Item item : completions.complete(before, current)) {
      if (describe && !item.description().isBlank()) {
        app.out().value(item.value().replace(":", "\\:") + ":" + oneLine(item.description()));
      } else {
        app.out().value(describe ? item.value().replace(":", "\\:") : item.value());
      }
    }
    return 0;
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
