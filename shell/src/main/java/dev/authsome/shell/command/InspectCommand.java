package dev.authsome.shell.command;

import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderListing;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code authsome inspect PROVIDER}: the effective definition with the newer field names, where it came from, and its
 * connections. Always JSON: saved to {@code $AUTHSOME_HOME/providers/NAME.json} it is a valid custom definition.
 */
final class InspectCommand extends Base implements CodeModel.Declared {
  String provider;

  InspectCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "inspect",
        "Show a provider's effective definition, its source and connections.");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    return spec;
  }

  @Override
  public Integer call() {
    ProviderListing p = engine().inspect(provider);
    for (String hidden : p.provider().shadowed()) {
      // a custom copy (often inspect's own output saved as a file) now wins over the jar: say so, on stderr
      out().warn("Provider '" + p.provider().name() + "' from " + p.provider().origin() + " shadows the "
          + "definition in " + hidden + "; remove the " + p.provider().source().wireName() + " copy to use it again.");
    }
    Map<String, Object> m = new LinkedHashMap<>(ProviderDefinitions.toMap(p.provider().definition()));
    m.put("source", p.provider().source().wireName());
    m.put("origin", p.provider().origin());
    if (!p.provider().shadowed().isEmpty()) {
      m.put("shadowed", p.provider().shadowed());
    }
    List<Object> connections = new ArrayList<>();
    p.connections().forEach(c -> connections.add(Render.connection(c, true)));
    m.put("connections", connections);
    out().json(m);
    return 0;
  }
}
