package dev.authsome.shell;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Everything the shell prints goes through here: values and JSON on stdout, messages and warnings on stderr. Informational
 * messages respect {@code --quiet}; values, JSON and errors always print.
 */
public final class Out {
  /** Created on first JSON output only: plain text commands never load it. */
  private static final class Json {
    static final JsonFactory FACTORY = new JsonFactory();
  }

  /**
   * Only for a value that is not plain data (see {@link #write}), which no command prints today: jackson-databind is
   * some 300 classes to load, for what maps, lists, strings, numbers and booleans need none of.
   */
  private static final class Databind {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final Globals globals;
  private final boolean errIsTerminal;
  private IntSupplier width = () -> 0;

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
    out.println(jsonText(value));
    out.flush();
  }

  /** {@code value} as pretty-printed JSON (indent 2), with Jackson's streaming generator. */
  static String jsonText(Object value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(text)) {
      g.setPrettyPrinter(new Pretty());
      write(g, value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render JSON output", e);
    }
    return text.toString();
  }

  /** Plain data as databind writes it (maps in their order, keys as strings); anything else through databind. */
  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof Collection<?> list) {
      g.writeStartArray();
      for (Object e : list) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (value instanceof String text) {
      g.writeString(text);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else if (value instanceof Enum<?> e) {
      g.writeString(e.name());
    } else {
      Databind.MAPPER.writeValue(g, value);
    }
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

  /**
   * Whether output may be coloured: on a terminal, without {@code --no-color} and without {@code NO_COLOR}. On a
   * pipe there is never colour.
   */
  public boolean colour() {
    return errIsTerminal && !globals.noColor && System.getenv("NO_COLOR") == null;
  }

  /** The terminal's width in columns, or 0 when unknown (then tables are not truncated). */
  public int width() {
    return Math.max(0, width.getAsInt());
  }

  /** Where {@link #width()} comes from (the interactive shell asks its terminal on every call). */
  public void width(IntSupplier columns) {
    this.width = columns;
  }

  /** Indent 2, one array element per line, {@code "key": value}, and {@code []}/{@code {}} when empty. */
  static final class Pretty extends DefaultPrettyPrinter {
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
    return colour() ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
