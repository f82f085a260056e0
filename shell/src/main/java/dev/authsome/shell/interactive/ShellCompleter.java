package dev.authsome.shell.interactive;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab in the shell: the {@link Completions} of the words before the cursor, with descriptions beside them. */
final class ShellCompleter implements Completer {
  private final Completions completions;

  ShellCompleter(Completions completions) {
    this.completions = completions;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> before = line.words().subList(0, line.wordIndex());
    String current = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    for (Completions.Item item : completions.complete(before, current)) {
      String description = item.description().isBlank() ? null : item.description();
      // complete=true: a unique match gets its trailing space, like bash
      candidates.add(new Candidate(item.value(), item.value(), null, description, null, null, true));
    }
  }
}
