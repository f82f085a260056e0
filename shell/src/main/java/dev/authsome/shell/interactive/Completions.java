package dev.authsome.shell.interactive;

import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.shell.App;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What may come next on a command line: commands, options and their values, walked from the picocli command model,
 * plus the dynamic values only authsome knows (provider names from the catalogue index, connection names from the
 * vault, flow ids, fields of a connection). Used by the shell's Tab and by {@code authsome __complete}, the helper
 * behind the bash and zsh scripts, so both complete the same way. Free of JLine: the command line uses it too.
 */
final class Completions {
  /** One candidate: the word, and a short description shown beside it. */
  record Item(String value, String description) {
  }

  /** Fields of every connection record (used before a provider is known). */
  static final List<String> FIELDS = List.of("status", "access_token", "refresh_token", "api_key", "token_type",
      "expires_at", "obtained_at", "scopes", "account", "connection_name", "auth_type", "flow", "base_url",
      "api_urls", "provider", "profile", "metadata", "id_token", "schema_version", "client_id");

  private final Supplier<CommandSpec> root;
  private final Supplier<App> app;

  /** {@code root} is asked at each completion: the shell builds its command model while its first prompt shows. */
  Completions(Supplier<CommandSpec> root, Supplier<App> app) {
    this.root = root;
    this.app = app;
  }

  Completions(CommandSpec root, Supplier<App> app) {
    this(() -> root, app);
  }

  /**
   * The candidates for {@code current}, the word under the cursor, after {@code before} (the words typed before
   * it, without the program name). Only candidates starting with {@code current} are returned.
   */
  List<Item> complete(List<String> before, String current) {
    CommandSpec spec = root.get();
    int positional = 0;
    List<String> positionals = new ArrayList<>();
    OptionSpec pendingOption = null;
    for (String word : before) {
      if (pendingOption != null) {
        pendingOption = null;
        continue;
      }
      if (word.startsWith("-") && word.length() > 1) {
        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        OptionSpec option = spec.findOption(name);
        if (option != null && option.arity().min() > 0 && !word.contains("=")) {
          pendingOption = option;
        }
        continue;
      }
      if (positional == 0 && spec.subcommands().containsKey(word)) {
        spec = spec.subcommands().get(word).getCommandSpec();
        positionals.clear();
        continue;
      }
      positionals.add(word);
      positional++;
    }
    List<Item> items = new ArrayList<>();
    if (pendingOption != null) {
      items.addAll(optionValues(pendingOption, positionals));
    } else if (current.startsWith("--") && current.contains("=")) {
      OptionSpec option = spec.findOption(current.substring(0, current.indexOf('=')));
      if (option != null) {
        String prefix = current.substring(0, current.indexOf('=') + 1);
        optionValues(option, positionals).forEach(i -> items.add(new Item(prefix + i.value(), i.description())));
      }
    } else if (current.startsWith("-")) {
      for (OptionSpec option : spec.options()) {
        if (!option.hidden()) {
          for (String name : option.names()) {
            items.add(new Item(name, describe(option)));
          }
        }
      }
    } else {
      if (positional == 0) {
        spec.subcommands().forEach((name, sub) -> {
          CommandSpec s = sub.getCommandSpec();
          if (!s.usageMessage().hidden() && s.name().equals(name)) {
            items.add(new Item(name, first(s.usageMessage().description())));
          }
        });
      }
      List<PositionalParamSpec> params = spec.positionalParameters();
      for (PositionalParamSpec p : params) {
        if (p.index().contains(positional)) {
          items.addAll(positionalValues(p, positionals));
          break;
        }
      }
    }
    return items.stream().filter(i -> i.value().startsWith(current)).distinct().toList();
  }

  private List<Item> optionValues(OptionSpec option, List<String> positionals) {
    String provider = positionals.isEmpty() ? null : positionals.get(0);
    return switch (option.longestName()) {
      case "--connection" -> provider == null ? List.of() : connections(provider);
      case "--flow" -> flows();
      case "--field" -> fields(provider);
      case "--vault" -> vaults();
      default -> fixed(option);
    };
  }

  private List<Item> positionalValues(PositionalParamSpec p, List<String> positionals) {
    String label = p.paramLabel().toUpperCase(Locale.ROOT);
    if (label.contains("PROVIDER")) {
      return providers();
    }
    if (label.equals("NAME") && !positionals.isEmpty()) {
      return connections(positionals.get(0));
    }
    return fixed(p);
  }

  private static List<Item> fixed(ArgSpec arg) {
    List<Item> items = new ArrayList<>();
    Iterable<String> candidates = arg.completionCandidates();
    if (candidates != null) {
      candidates.forEach(c -> items.add(new Item(c, "")));
    }
    return items;
  }

  /** Provider names and display names, from the catalogue index (no plugin jar is loaded for this). */
  List<Item> providers() {
    return guarded(() -> {
      List<Item> items = new ArrayList<>();
      for (ResolvedProvider p : app.get().plugins().catalogue().list()) {
        items.add(new Item(p.name(), p.definition().displayName()));
      }
      return items;
    });
  }

  /** The connection names of a provider, from the vault. */
  List<Item> connections(String provider) {
    return guarded(() -> {
      List<Item> items = new ArrayList<>();
      for (ConnectionSummary c : app.get().engine().inspect(provider).connections()) {
        items.add(new Item(c.connectionName(), c.status() + (c.isDefault() ? ", default" : "")));
      }
      return items;
    });
  }

  List<Item> flows() {
    return guarded(() -> app.get().plugins().flows().ids().stream().map(id -> new Item(id, "flow")).toList());
  }

  private List<Item> fields(String provider) {
    List<Item> items = new ArrayList<>();
    if (provider != null) {
      // the fields this connection actually has (secrets stay redacted: only the names are used)
      items.addAll(guarded(() -> {
        Map<String, Object> fields = app.get().engine().get(provider, null, false, null);
        return fields.keySet().stream().map(k -> new Item(k, "field")).toList();
      }));
    }
    if (items.isEmpty()) {
      FIELDS.forEach(f -> items.add(new Item(f, "field")));
    }
    return items;
  }

  private static List<Item> vaults() {
    return guarded(() -> dev.authsome.core.VaultBackends.available().stream()
        .map(id -> new Item(id, "vault backend")).toList());
  }

  /** Completion must never fail the line being typed: a source that cannot answer offers nothing. */
  private static List<Item> guarded(Supplier<List<Item>> source) {
    try {
      return source.get();
    } catch (RuntimeException | LinkageError e) {
      return List.of();
    }
  }

  private static String describe(OptionSpec option) {
    return first(option.description());
  }

  private static String first(String[] lines) {
    return lines.length == 0 ? "" : lines[0];
  }
}
