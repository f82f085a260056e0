package dev.authsome.shell.command;

import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome remove PROVIDER}: revoke, then delete the custom definition (a bundled one then applies again). */
final class RemoveCommand extends Base implements CodeModel.Declared {
  String provider;

  RemoveCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "remove",
        "Revoke a provider and delete its custom definition file.");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    return spec;
  }

  @Override
  public Integer call() {
    List<Path> deleted = engine().remove(provider);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "removed");
      m.put("provider", provider);
      m.put("deleted_files", deleted.stream().map(Path::toString).toList());
      out().json(m);
    } else {
      out().info("Removed provider " + provider + ".");
    }
    return 0;
  }
}
