package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A provider definition together with where it came from.
 *
 * @param origin the file or jar the definition was read from, for {@code inspect} and warnings
 * @param shadowed origins of lower-precedence definitions of the same name that this one hides
 */
public record ResolvedProvider(ProviderDefinition definition, ProviderSource source, String origin,
    List<String> shadowed) {

  public ResolvedProvider {
    requireNonNull(definition, "definition");
    requireNonNull(source, "source");
    requireNonNull(origin, "origin");
    shadowed = List.copyOf(shadowed);
  }

  public String name() {
    return definition.name();
  }
}
