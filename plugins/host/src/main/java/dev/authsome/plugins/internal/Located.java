package dev.authsome.plugins.internal;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.ProviderSource;
import java.nio.file.Path;

/** An index entry together with the jar it describes now and where that jar sits. */
public record Located(IndexEntry entry, Path jar, ProviderSource source) {
  public Located {
    requireNonNull(entry, "entry");
    requireNonNull(jar, "jar");
    requireNonNull(source, "source");
  }

  boolean healthy() {
    return entry.error() == null;
  }

  String pluginLabel() {
    return entry.pluginId() == null ? jar.getFileName().toString() : entry.pluginId();
  }
}
