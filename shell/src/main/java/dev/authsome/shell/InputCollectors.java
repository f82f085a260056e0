package dev.authsome.shell;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a login's missing input comes from. {@link #choose} tries the sources in a fixed order and the first that
 * applies wins: {@code --stdin}, then any extra source registered before the terminal (the browser form), then a
 * masked terminal prompt, then none (a required field is a usage error naming {@code --stdin}; authsome never waits
 * on a non-terminal).
 */
public final class InputCollectors {
  private InputCollectors() {
  }

  /** One candidate source: whether it applies to this run, and how to build it. */
  public record Source(String name, boolean applies, Supplier<InputCollector> factory) {
  }

  /** The first source that applies; {@link #none()} when none does. */
  public static InputCollector choose(List<Source> sources) {
    for (Source s : sources) {
      if (s.applies()) {
        return s.factory().get();
      }
    }
    return none();
  }

  /**
   * The standard order for a login: {@code --stdin}, then {@code extra} (e.g. the browser form, which the OAuth
   * flows add), then the terminal when standard input is one.
   */
  public static List<Source> standard(App app, boolean stdinFlag, List<Source> extra) {
    List<Source> sources = new ArrayList<>();
    sources.add(new Source("stdin", stdinFlag, () -> stdin(app.stdin())));
    sources.addAll(extra);
    sources.add(new Source("terminal", app.interactive(), () -> new TerminalInput(app.out().err())));
    return sources;
  }

  /** Asks nobody: fields with defaults take them; a required field without one is a usage error. */
  public static InputCollector none() {
    return request -> {
      Map<String, Secret> values = new LinkedHashMap<>();
      for (InputField f : request.fields()) {
        if (f.readOnly()) {
          continue;
        }
        if (f.defaults().isPresent() && !f.defaults().get().isEmpty()) {
          values.put(f.name(), Secret.of(f.defaults().get()));
        } else if (f.required()) {
          throw AuthsomeException.usage("Login to " + request.provider() + " needs " + describe(f)
              + " but standard input is not a terminal; pipe it in with --stdin, e.g. printf %s \"$KEY\" | "
              + "authsome login " + request.provider() + " --stdin" + flagFor(f).map(x -> " (or pass " + x + ")")
              .orElse("") + ".");
        }
      }
      return values;
    };
  }

  /**
   * Reads one line of standard input as the one secret of the request (the API key or client secret); other
   * fields take their defaults, and a required non-secret field without one is a usage error naming its flag.
   */
  public static InputCollector stdin(InputStream in) {
    return new InputCollector() {
      private Secret line;

      @Override
      public synchronized Map<String, Secret> collect(InputRequest request) {
        Map<String, Secret> values = new LinkedHashMap<>();
        Optional<InputField> secret = request.fields().stream().filter(f -> f.secret() && !f.readOnly() && f.required())
            .findFirst().or(() -> request.fields().stream().filter(f -> f.secret() && !f.readOnly()).findFirst());
        for (InputField f : request.fields()) {
          if (f.readOnly()) {
            continue;
          }
          if (secret.isPresent() && f.name().equals(secret.get().name())) {
            Secret value = readLine(request);
            if (!value.isEmpty()) {
              values.put(f.name(), value);
            } else if (f.required()) {
              throw AuthsomeException.usage("Standard input was empty, but login to " + request.provider()
                  + " needs " + describe(f) + "; pipe it in: printf %s \"$KEY\" | authsome login "
                  + request.provider() + " --stdin");
            }
          } else if (f.defaults().isPresent() && !f.defaults().get().isEmpty()) {
            values.put(f.name(), Secret.of(f.defaults().get()));
          } else if (f.required()) {
            throw AuthsomeException.usage("Login to " + request.provider() + " needs " + describe(f)
                + ", which --stdin cannot supply" + flagFor(f).map(x -> "; pass " + x).orElse("") + ".");
          }
        }
        return values;
      }

      private Secret readLine(InputRequest request) {
        if (line == null) {
          try {
            line = Secret.of(readOneLine(in));
          } catch (IOException e) {
            throw AuthsomeException.cancelled("Could not read standard input (" + e.getMessage() + ") for "
                + request.provider() + "; pipe the secret in with --stdin.");
          }
        }
        return line;
      }
    };
  }

  /** Reads up to the first line break (or end of input) as UTF-8, without the line break. */
  static String readOneLine(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      buf.write(b);
    }
    String s = buf.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static String describe(InputField f) {
    return f.label().isBlank() ? f.name() : f.label() + " (" + f.name() + ")";
  }

  static Optional<String> flagFor(InputField f) {
    return switch (f.name()) {
      case "client_id" -> Optional.of("--client-id");
      case "base_url" -> Optional.of("--base-url");
      case "scopes" -> Optional.of("--scopes");
      default -> Optional.empty();
    };
  }
}
