package dev.authsome.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code audit.log}: one JSON object per line, {@code {"timestamp", "event", "format": 1, ...}}. Callers pass only
 * non-secret fields (provider, connection, flow, status, field names, formats). A failed write is never fatal: the
 * command has already done its work, so it only warns.
 */
public final class AuditLog {
  public static final int FORMAT = 1;

  private final Home home;
  private final Clock clock;
  private final Consumer<String> warnings;

  public AuditLog(Home home, Clock clock, Consumer<String> warnings) {
    this.home = home;
    this.clock = clock;
    this.warnings = warnings;
  }

  /** Appends an entry; {@code fields} alternates names and values, null values are left out. */
  public void record(String event, Object... fields) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("timestamp", clock.instant().toString());
    entry.put("event", event);
    entry.put("format", FORMAT);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i + 1] != null) {
        entry.put(String.valueOf(fields[i]), fields[i + 1]);
      }
    }
    try {
      home.appendLine(home.auditLog(), Json.write(entry));
    } catch (IOException | RuntimeException e) {
      warnings.accept("Audit entry for '" + event + "' was not written to " + home.auditLog() + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : ConfigFile.oneLine(e.getMessage())) + ").");
    }
  }

  /** The last {@code n} lines, oldest first; empty when there is no log yet. */
  public List<String> tail(int n) {
    Path file = home.auditLog();
    Deque<String> last = new ArrayDeque<>();
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.filter(l -> !l.isBlank()).forEach(l -> {
        last.addLast(l);
        if (last.size() > n) {
          last.removeFirst();
        }
      });
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw dev.authsome.core.AuthsomeException.vault("Cannot read " + file + " (" + e.getMessage()
          + "); check its permissions.", e);
    }
    return List.copyOf(last);
  }

  public boolean exists() {
    return Files.exists(home.auditLog());
  }
}
