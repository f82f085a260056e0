package dev.authsome.plugins.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.spi.ProviderCatalogue;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider catalogue over custom files ({@code $AUTHSOME_HOME/providers/NAME.yaml|yml|json}), drop-in jars and
 * bundled jars, highest precedence first. Jar definitions come from the index; only custom files are read here.
 *
 * <p>A custom file that does not validate, or two custom files for one name, make a direct lookup fail with
 * {@link ErrorCode#INVALID_PROVIDER}; a listing skips them with a warning and shows the next definition, if any.
 */
public final class HostCatalogue implements ProviderCatalogue {
  private final Path customDir;
  /** Provider name to its jar definitions, drop-in jars before bundled ones. */
  private final Map<String, List<Located>> jars = new TreeMap<>();
  private final Set<String> knownFlows;
  private final Warnings warnings;
  private final PluginRuntime runtime;
  private final Map<String, ProviderDefinition> parsed = new ConcurrentHashMap<>();

  HostCatalogue(Path customDir, List<Located> located, Set<String> knownFlows, Warnings warnings,
      PluginRuntime runtime) {
    this.customDir = customDir;
    this.knownFlows = Set.copyOf(knownFlows);
    this.warnings = warnings;
    this.runtime = runtime;
    for (Located l : located) {
      if (l.healthy() && l.entry().provider() != null && l.entry().provider().get("name") instanceof String name) {
        jars.computeIfAbsent(name, n -> new ArrayList<>()).add(l);
      }
    }
    jars.values().forEach(list -> list.sort(java.util.Comparator.comparing(Located::source)));
    Map<String, List<Path>> custom = customFiles();
    for (Map.Entry<String, List<Located>> entry : jars.entrySet()) {
      List<String> hiders = new ArrayList<>();
      custom.getOrDefault(entry.getKey(), List.of()).forEach(p -> hiders.add(p.toString()));
      for (Located l : entry.getValue()) {
        if (!hiders.isEmpty()) {
          warnings.warn("Provider '" + entry.getKey() + "' from " + hiders.get(0) + " shadows the "
              + l.source().wireName() + " definition in " + l.jar() + ".");
        }
        hiders.add(l.jar().toString());
      }
    }
  }

  @Override
  public Optional<ResolvedProvider> find(String name) {
    List<Path> files = customFiles().getOrDefault(name, List.of());
    if (files.size() > 1) {
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "Provider '" + name + "' is defined twice: "
          + files.get(0) + " and " + files.get(1) + "; remove one of them.");
    }
    List<String> shadowed = new ArrayList<>();
    ResolvedProvider found = null;
    if (files.size() == 1) {
      Path file = files.get(0);
      found = new ResolvedProvider(readCustom(file, name), ProviderSource.CUSTOM, file.toString(), List.of());
    }
    for (Located l : jars.getOrDefault(name, List.of())) {
      if (found != null) {
        shadowed.add(l.jar().toString());
        continue;
      }
      ProviderDefinition definition = jarDefinition(l);
      if (definition != null) {
        found = new ResolvedProvider(definition, l.source(), l.jar().toString(), List.of());
      }
    }
    if (found == null) {
      return Optional.empty();
    }
    return Optional.of(new ResolvedProvider(found.definition(), found.source(), found.origin(), shadowed));
  }

  @Override
  public List<ResolvedProvider> list() {
    Set<String> names = new TreeSet<>(jars.keySet());
    Map<String, List<Path>> custom = customFiles();
    names.addAll(custom.keySet());
    List<ResolvedProvider> result = new ArrayList<>();
    for (String name : names) {
      List<Path> files = custom.getOrDefault(name, List.of());
      List<String> shadowed = new ArrayList<>();
      ResolvedProvider found = null;
      if (files.size() > 1) {
        warnings.warn("Provider '" + name + "' is defined twice: " + files.get(0) + " and " + files.get(1)
            + "; both are ignored until one is removed.");
      } else if (files.size() == 1) {
        try {
          found = new ResolvedProvider(readCustom(files.get(0), name), ProviderSource.CUSTOM,
              files.get(0).toString(), List.of());
        } catch (AuthsomeException e) {
          warnings.warn(e.getMessage());
        }
      }
      for (Located l : jars.getOrDefault(name, List.of())) {
        if (found != null) {
          shadowed.add(l.jar().toString());
          continue;
        }
        ProviderDefinition definition = jarDefinition(l);
        if (definition != null) {
          found = new ResolvedProvider(definition, l.source(), l.jar().toString(), List.of());
        }
      }
      if (found != null) {
        result.add(new ResolvedProvider(found.definition(), found.source(), found.origin(), shadowed));
      }
    }
    return result;
  }

  @Override
  public List<String> warnings() {
    return warnings.all();
  }

  /**
   * The extension comes from the effective jar; when a custom file overrides the definition, from the
   * highest-precedence jar of that name, so that a user's edited copy of a provider keeps its quirks.
   */
  @Override
  public <T> Optional<T> extension(String provider, Class<T> type) {
    for (Located l : jars.getOrDefault(provider, List.of())) {
      if (!l.entry().extensions()) {
        if (jarDefinition(l) != null) {
          return Optional.empty();
        }
        continue;
      }
      List<T> found = runtime.extensions(l, type);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
    return Optional.empty();
  }

  private ProviderDefinition readCustom(Path file, String name) {
    ProviderDefinition definition = ProviderDefinitions.read(file);
    if (!definition.name().equals(name)) {
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "Invalid provider definition " + file
          // the name is not validated yet: control characters in it must not reach the terminal
          + ": field 'name' is '" + definition.name().replaceAll("\\p{Cc}", "?") + "' but the file is named for '"
          + name + "'; rename the file or fix the name.");
    }
    return ProviderDefinitions.validate(definition, file.toString(), knownFlows);
  }

  /** The validated definition of a jar, or null (with a warning, once) when it does not validate. */
  private ProviderDefinition jarDefinition(Located l) {
    String key = l.jar().toString();
    ProviderDefinition cached = parsed.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      String origin = l.jar() + "!/" + JarScanner.PROVIDER_FILE;
      ProviderDefinition read = ProviderDefinitions.fromMap(l.entry().provider(), origin);
      // a bundled definition the build found valid: only whether its flow is installed is left to check
      ProviderDefinition d = l.entry().validated()
          ? ProviderDefinitions.validateFlow(read, origin, knownFlows)
          : ProviderDefinitions.validate(read, origin, knownFlows);
      parsed.put(key, d);
      return d;
    } catch (AuthsomeException e) {
      warnings.problem(new dev.authsome.plugins.PluginProblem(l.jar().toString(), l.entry().pluginId(),
          e.getMessage()));
      return null;
    }
  }

  /** Custom definition files by provider name (the file name without extension); several for a clash. */
  Map<String, List<Path>> customFiles() {
    Map<String, List<Path>> result = new LinkedHashMap<>();
    if (!Files.isDirectory(customDir)) {
      return result;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(customDir)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      warnings.warn("Cannot list " + customDir + " (" + JarScanner.oneLine(e) + "); custom providers are ignored.");
      return result;
    }
    files.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      String lower = fileName.toLowerCase(Locale.ROOT);
      int dot = fileName.lastIndexOf('.');
      if (dot <= 0 || !(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))
          || !Files.isRegularFile(file)) {
        continue;
      }
      result.computeIfAbsent(fileName.substring(0, dot), n -> new ArrayList<>()).add(file);
    }
    return result;
  }
}
