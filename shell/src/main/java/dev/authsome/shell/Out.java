package dev.authsome.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;

/**
 * Everything the shell prints goes through here: values and JSON on stdout, messages and warnings on stderr. Informational
 * messages respect {@code --quiet}; values, JSON and errors always print.
 */
public final class Out {
  private static final ObjectWriter JSON = new ObjectMapper().writer(new DefaultPrettyPrinter()
      .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
      .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
      .withSeparators(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  private final PrintWriter out;
  private final PrintWriter err;
  private final Globals globals;
  private final boolean errIsTerminal;

  public Out(PrintWriter out, PrintWriter err, Globals globals, boolean errIsTerminal) {
    this.out = out;
    this.err = err;
    this.globals = globals;
    this.errIsTerminal = errIsTerminal;
  }

  public Globals globals() {
    return globals;
  }

  public boolean json() {
    return globals.json;
  }

  /** A line of the command's result on stdout (suppressed by {@code --quiet}). */
  public void info(String line) {
    if (!globals.quiet) {
      out.println(line);
      out.flush();
    }
  }

  /** A value on stdout (never suppressed: it is what the command was asked for). */
  public void value(String line) {
    out.println(line);
    out.flush();
  }

  /** Pretty-printed JSON (indent 2) on stdout. */
  public void json(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON output", e);
    }
    out.flush();
  }

  /** A warning on stderr (suppressed by {@code --quiet}). */
  public void warn(String message) {
    if (!globals.quiet) {
      err.println(colour("33", "Warning: ") + message);
      err.flush();
    }
  }

  /** A note on stderr (suppressed by {@code --quiet}). */
  public void note(String message) {
    if (!globals.quiet) {
      err.println(message);
      err.flush();
    }
  }

  /** An error line on stderr. */
  public void error(String message) {
    err.println(colour("31", "Error: ") + message);
    err.flush();
  }

  public PrintWriter err() {
    return err;
  }

  private String colour(String code, String text) {
    return errIsTerminal && !globals.noColor && System.getenv("NO_COLOR") == null
        ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
