package dev.authsome.shell.command;

import dev.authsome.shell.App;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code authsome remove PROVIDER}: revoke, then delete the custom definition (a bundled one then applies again). */
@Command(name = "remove", description = "Revoke a provider and delete its custom definition file.")
final class RemoveCommand extends Base {
  @Parameters(index = "0", paramLabel = "PROVIDER")
  String provider;

  RemoveCommand(App app) {
    super(app);
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
