package dev.authsome.shell.command;

import dev.authsome.core.Whoami;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome whoami}: the local context. */
final class WhoamiCommand extends Base implements CodeModel.Declared {
  WhoamiCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    return CodeModel.command(this, globals, "whoami", "Show the home folder, vault and connected providers.");
  }

  @Override
  public Integer call() {
    Whoami w = engine().whoami();
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("home_directory", w.home().toString());
      m.put("active_profile", w.profile());
      m.put("authsome_version", w.version());
      m.put("encryption_mode", w.vaultBackend());
      m.put("vault", w.vault());
      m.put("connected_providers_count", w.connectedProviders().size());
      m.put("connected_providers", w.connectedProviders());
      out().json(m);
      return 0;
    }
    out().value("Home Directory: " + w.home());
    out().value("Active Profile: " + w.profile());
    out().value("Authsome Version: " + w.version());
    out().value("Encryption Mode: " + w.vault()); // the backend's own description starts with its name
    out().value("Connected Providers: " + w.connectedProviders().size());
    w.connectedProviders().forEach(p -> out().value("  - " + p));
    return 0;
  }
}
