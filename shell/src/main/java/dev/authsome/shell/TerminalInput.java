package dev.authsome.shell;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Prompts on the terminal with JLine: secrets masked, other fields with their default in brackets. Only used when
 * standard input is a terminal. Prompts go to stderr so that stdout stays clean for {@code --json}. Ctrl-C and
 * Ctrl-D cancel (exit 8).
 */
final class TerminalInput implements InputCollector {
  private final PrintWriter err;
  private final Supplier<LineReader> readers;

  TerminalInput(PrintWriter err) {
    // The terminal is deliberately not closed: closing a system terminal closes the stream it writes to (stderr);
    // each readLine restores the tty mode itself, and the process ends soon after the login.
    this(err, () -> LineReaderBuilder.builder().terminal(open()).build());
  }

  /** Prompts through a reader the caller owns (the interactive shell's terminal). */
  TerminalInput(PrintWriter err, Supplier<LineReader> readers) {
    this.err = err;
    this.readers = readers;
  }

  @Override
  public Map<String, Secret> collect(InputRequest request) {
    Map<String, Secret> values = new LinkedHashMap<>();
    LineReader reader = readers.get();
    err.println(request.title() + (request.docsUrl() == null ? "" : " (see " + request.docsUrl() + ")"));
    err.flush();
    for (InputField f : request.fields()) {
      if (f.readOnly()) {
        err.println(f.label() + ": " + f.defaults().orElse(""));
        err.flush();
        continue;
      }
      while (true) {
        String prompt = f.label() + (f.secret() || f.defaults().isEmpty() ? "" : " [" + f.defaults().get() + "]")
            + (f.required() ? "" : " (optional)") + ": ";
        String line;
        try {
          line = f.secret() ? reader.readLine(prompt, '*') : reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
          throw AuthsomeException.cancelled("Login to " + request.provider() + " cancelled; nothing was stored.");
        }
        line = line.strip();
        if (line.isEmpty() && f.defaults().isPresent()) {
          line = f.defaults().get();
        }
        if (line.isEmpty() && f.required()) {
          err.println(f.label() + " is required (Ctrl-C to cancel).");
          err.flush();
          continue;
        }
        if (!line.isEmpty() && f.pattern() != null && !Pattern.compile(f.pattern()).matcher(line).matches()) {
          err.println(f.patternHint() != null ? f.patternHint() : f.label() + " does not have the expected form.");
          err.flush();
          continue;
        }
        if (!line.isEmpty()) {
          values.put(f.name(), Secret.of(line));
        }
        break;
      }
    }
    return values;
  }

  private static Terminal open() {
    try {
      // Paused with echo off before the input pump starts, so a typed secret is never echoed (JLine pitfall).
      Terminal terminal = SystemTerminal.builder()
          .systemOutput(TerminalBuilder.SystemOutput.SysErr).paused(true).build();
      terminal.echo(false);
      terminal.resume();
      return terminal;
    } catch (IOException e) {
      throw AuthsomeException.usage("Cannot open the terminal for a prompt (" + e.getMessage()
          + "); pass the secret with --stdin instead.");
    }
  }
}
