package dev.authsome.shell.command;

import dev.authsome.core.ProviderDefinition;
import dev.authsome.shell.App;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code authsome register FILE}: validates a definition and installs it as a custom provider. */
@Command(name = "register", description = "Validate a provider definition (YAML or JSON) and add it as a custom provider.")
final class RegisterCommand extends Base {
  @Parameters(index = "0", paramLabel = "FILE")
  Path file;

  @Option(names = "--force", description = "Overwrite an existing custom definition of the same name.")
  boolean force;

  RegisterCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    ProviderDefinition def = engine().register(file, force);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "registered");
      m.put("provider", def.name());
      m.put("file", engine().home().resolve("providers").resolve(def.name() + ".yaml").toString());
      out().json(m);
    } else {
      out().info("Provider " + def.name() + " registered.");
    }
    return 0;
  }
}
