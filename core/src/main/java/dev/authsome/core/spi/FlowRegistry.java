package dev.authsome.core.spi;

import java.util.Optional;
import java.util.SortedSet;

/**
 * The installed flows. The plugin host implements it (loading a flow's jar only when asked for it); tests build one
 * from explicit instances.
 */
public interface FlowRegistry {

  /** The ids of every installed flow, without loading any. */
  SortedSet<String> ids();

  /** The flow with this id, loading its plugin if needed. */
  Optional<AuthFlow> flow(String id);
}
