package dev.authsome.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What {@code --help} shows, for every command a user can type: the command list of {@code authsome --help} shows
 * only the first line of each description, so that line is a whole sentence; and every positional parameter says what
 * it is, as every option does.
 */
class HelpTextTest {
  @Test
  void everyCommandsSummary_isAWholeSentence_andEveryParameterIsDescribed() throws Exception {
    List<String> problems = new ArrayList<>();
    for (CommandSpec command : commands()) {
      String name = command.qualifiedName();
      String[] description = command.usageMessage().description();
      if (description.length == 0 || description[0].isBlank()) {
        problems.add(name + ": no description");
      } else if (!description[0].strip().endsWith(".")) {
        problems.add(name + ": the summary that 'authsome --help' lists is cut mid-sentence: '" + description[0] + "'");
      }
      for (PositionalParamSpec p : command.positionalParameters()) {
        if (!p.hidden() && (p.description().length == 0 || p.description()[0].isBlank())) {
          problems.add(name + ": parameter " + p.paramLabel() + " has no description");
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theRootHelp_listsEveryCommandWithItsWholeSummary() throws Exception {
    StringWriter text = new StringWriter();
    commandLine().usage(new PrintWriter(text));

    String help = text.toString().replaceAll("\\s+", " ");
    assertThat(help)
        .contains(" register Validate a provider definition (YAML or JSON) and add it as a custom provider, or build "
            + "one from an OAuth/OpenID issuer's discovery document with --issuer. whoami ")
        .doesNotContain("__complete");
  }

  /** Every visible command and subcommand, from the root down. */
  private static List<CommandSpec> commands() throws Exception {
    List<CommandSpec> all = new ArrayList<>();
    collect(commandLine().getCommandSpec(), all);
    assertThat(all).extracting(CommandSpec::name).contains("authsome", "get", "register", "set-default", "rekey");
    return all;
  }

  private static void collect(CommandSpec command, List<CommandSpec> all) {
    if (command.usageMessage().hidden()) {
      return;
    }
    all.add(command);
    for (CommandLine sub : command.subcommands().values()) {
      collect(sub.getCommandSpec(), all);
    }
  }

  private static CommandLine commandLine() throws Exception {
    Globals globals = new Globals();
    PrintWriter sink = new PrintWriter(new StringWriter());
    Out out = new Out(sink, sink, globals, false);
    App app = new App(globals, out, new ByteArrayInputStream(new byte[0]), Map.of(), false, home -> {
      throw new AssertionError("help needs no plugins");
    });
    return Main.commandLine(app, globals, out, sink, sink, new String[0]);
  }
}
