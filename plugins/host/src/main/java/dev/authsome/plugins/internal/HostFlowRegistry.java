package dev.authsome.plugins.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.plugins.PluginProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The installed flows, known from the index; a flow's jar is loaded with PF4J the first time the flow is asked for.
 * A flow in a drop-in jar wins over a bundled flow of the same id (with a warning).
 */
public final class HostFlowRegistry implements FlowRegistry {
  private final Map<String, Located> byId = new LinkedHashMap<>();
  private final Map<String, AuthFlow> loaded = new LinkedHashMap<>();
  private final PluginRuntime runtime;
  private final Warnings warnings;

  HostFlowRegistry(List<Located> located, Warnings warnings, PluginRuntime runtime) {
    this.runtime = runtime;
    this.warnings = warnings;
    List<Located> ordered = new ArrayList<>(located);
    ordered.sort(java.util.Comparator.comparing(Located::source));
    for (Located l : ordered) {
      if (!l.healthy()) {
        continue;
      }
      for (String id : l.entry().flows()) {
        Located winner = byId.putIfAbsent(id, l);
        if (winner != null) {
          warnings.warn("Flow '" + id + "' from " + winner.jar() + " shadows the one in " + l.jar() + ".");
        }
      }
    }
  }

  @Override
  public SortedSet<String> ids() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byId.keySet()));
  }

  @Override
  public synchronized Optional<AuthFlow> flow(String id) {
    AuthFlow cached = loaded.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    Located l = byId.get(id);
    if (l == null) {
      return Optional.empty();
    }
    for (AuthFlow flow : runtime.extensions(l, AuthFlow.class)) {
      if (id.equals(flow.id())) {
        loaded.put(id, flow);
        return Optional.of(flow);
      }
    }
    AuthsomeException failure = new AuthsomeException(ErrorCode.UNEXPECTED, "Plugin " + l.pluginLabel() + " ("
        + l.jar() + ") declares flow '" + id + "' but none of its classes in META-INF/extensions.idx loads as an"
        + " AuthFlow with that id; remove or replace the jar.");
    warnings.problem(new PluginProblem(l.jar().toString(), l.entry().pluginId(), failure.getMessage()));
    throw failure;
  }
}
