package dev.authsome.shell.interactive;

import dev.authsome.shell.App;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code authsome completion bash|zsh}: a completion script for the user's shell. The script asks
 * {@code authsome __complete} for candidates, so it completes exactly what the interactive shell completes,
 * provider and connection names included, and never goes stale when commands or providers are added.
 */
@Command(name = "completion", mixinStandardHelpOptions = false,
    description = "Print a bash or zsh completion script (see the README to install it).")
public final class CompletionCommand implements Callable<Integer> {
  /** The shells a script exists for. */
  public enum ShellKind { bash, zsh }

  private final App app;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  ShellKind shell;

  /** Built by the command factory with the run's {@link App}. */
  public CompletionCommand(App app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    app.out().value(shell == ShellKind.bash ? BASH : ZSH);
    return 0;
  }

  private static final String BASH = String.join("\n",
      "# bash completion for authsome. Install: authsome completion bash > ~/.local/share/bash-completion/completions/authsome",
      "# or add to ~/.bashrc: source <(authsome completion bash)",
      "_authsome_complete() {",
      "  local IFS=$'\\n'",
      "  local words=(\"${COMP_WORDS[@]:1:COMP_CWORD}\")",
      "  COMPREPLY=($(command authsome __complete -- \"${words[@]}\" 2>/dev/null))",
      "}",
      "complete -o default -F _authsome_complete authsome");

  private static final String ZSH = String.join("\n",
      "#compdef authsome",
      "# zsh completion for authsome. Install: authsome completion zsh > \"${fpath[1]}/_authsome\"",
      "# or add to ~/.zshrc (after compinit): source <(authsome completion zsh)",
      "_authsome() {",
      "  local -a candidates",
      "  candidates=(\"${(@f)$(command authsome __complete --describe -- \"${(@)words[2,CURRENT]}\" 2>/dev/null)}\")",
      "  candidates=(${candidates:#})",
      "  (( ${#candidates} )) && _describe -t values authsome candidates",
      "}",
      "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then",
      "  _authsome \"$@\"",
      "else",
      "  compdef _authsome authsome",
      "fi");
}
