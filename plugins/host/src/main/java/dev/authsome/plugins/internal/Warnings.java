package dev.authsome.plugins.internal;

import dev.authsome.plugins.PluginProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Warnings and problems gathered while opening and using the host, each kept once, in order. */
public final class Warnings {
  private final Set<String> warnings = new LinkedHashSet<>();
  private final Set<PluginProblem> problems = new LinkedHashSet<>();

  public synchronized void warn(String message) {
    warnings.add(message);
  }

  public synchronized void problem(PluginProblem problem) {
    problems.add(problem);
    warnings.add("Skipped " + problem);
  }

  public synchronized List<String> all() {
    return List.copyOf(warnings);
  }

  public synchronized List<PluginProblem> problems() {
    return new ArrayList<>(problems);
  }
}
