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
final class AuditLog {
  static final int FORMAT = 1;
  /** Past this size the log is rotated to {@code audit.log.1} (and so on), so a busy proxy cannot fill the disk. */
  static final long ROTATE_AT_BYTES = 10L * 1024 * 1024;
  /** How many rotated logs are kept beside the current one. */
  static final int KEEP_ROTATED = 3;

  private final Home home;
  private final Clock clock;
  private final Consumer<String> warnings;

  AuditLog(Home home, Clock clock, Consumer<String> warnings) {
    this.home = home;
    this.clock = clock;
    this.warnings = warnings;
  }

  /** Appends an entry; {@code fields} alternates names and values, null values are left out. */
  void record(String event, Object... fields) {
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
      rotateIfLarge(home.auditLog());
      home.appendLine(home.auditLog(), Json.write(entry));
    } catch (IOException | RuntimeException e) {
      warnings.accept("Audit entry for '" + event + "' was not written to " + home.auditLog() + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : ConfigFile.oneLine(e.getMessage())) + ").");
    }
  }

  /**
   * Renames {@code audit.log.2} to {@code .3}, {@code .1} to {@code .2} and the log to {@code .1} once it passed
   * {@link #ROTATE_AT_BYTES}. Two processes may race here: a rename of a file another process just moved fails
   * harmlessly, and each line still lands in some log.
   */
  static void rotateIfLarge(Path log) {
    try {
      if (!Files.exists(log) || Files.size(log) < ROTATE_AT_BYTES) {
        return;
      }
      for (int i = KEEP_ROTATED - 1; i >= 1; i--) {
        Path from = log.resolveSibling(log.getFileName() + "." + i);
        if (Files.exists(from)) {
          Files.move(from, log.resolveSibling(log.getFileName() + "." + (i + 1)),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(log, log.resolveSibling(log.getFileName() + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // another process rotated it first, or the folder is read-only: appending still works or reports itself
    }
  }

  /** The last {@code n} lines, oldest first; empty when there is no log yet. */
  List<String> tail(int n) {
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

  boolean exists() {
    return Files.exists(home.auditLog());
  }
}
