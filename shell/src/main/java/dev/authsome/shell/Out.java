package dev.authsome.shell;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Everything the shell prints goes through here: values and JSON on stdout, messages and warnings on stderr. Informational
 * messages respect {@code --quiet}; values, JSON and errors always print.
 */
public final class Out {
  /** Created on first JSON output only: plain text commands and {@code --version} never load Jackson databind. */
  private static final class Json {
    static final ObjectWriter WRITER = new ObjectMapper().writer(new Pretty());
  }

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
      out.println(Json.WRITER.writeValueAsString(value));
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

  /** Indent 2, one array element per line, {@code "key": value}, and {@code []}/{@code {}} when empty. */
  private static final class Pretty extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    Pretty() {
      super(DefaultPrettyPrinter.DEFAULT_ROOT_VALUE_SEPARATOR);
      _arrayIndenter = DefaultIndenter.SYSTEM_LINEFEED_INSTANCE;
      _objectIndenter = DefaultIndenter.SYSTEM_LINEFEED_INSTANCE;
      _separators = Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER);
      _objectFieldValueSeparatorWithSpaces = ": ";
    }

    @Override
    public Pretty createInstance() {
      return new Pretty();
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (nrOfValues == 0) {
        _nesting--;
        g.writeRaw(']');
      } else {
        super.writeEndArray(g, nrOfValues);
      }
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (nrOfEntries == 0) {
        _nesting--;
        g.writeRaw('}');
      } else {
        super.writeEndObject(g, nrOfEntries);
      }
    }
  }

  private String colour(String code, String text) {
    return errIsTerminal && !globals.noColor && System.getenv("NO_COLOR") == null
        ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
