package dev.authsome.shell.interactive;

import java.time.Instant;
import org.jline.reader.impl.history.DefaultHistory;

/** The shell's history: JLine's file-backed history, minus every line the {@link SecretGuard} rejects. */
final class GuardedHistory extends DefaultHistory {
  private final SecretGuard guard;

  GuardedHistory(SecretGuard guard) {
    this.guard = guard;
  }

  @Override
  public void add(Instant time, String line) {
    if (guard.allows(line)) {
      super.add(time, line);
    }
  }
}
