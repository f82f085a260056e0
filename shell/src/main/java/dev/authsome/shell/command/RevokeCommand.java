package dev.authsome.shell.command;

import dev.authsome.shell.App;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code authsome revoke PROVIDER}: logs out every connection and forgets the OAuth client. */
@Command(name = "revoke", description = "Log out of every connection of a provider and forget its OAuth client.")
final class RevokeCommand extends Base {
  @Parameters(index = "0", paramLabel = "PROVIDER")
  String provider;

  RevokeCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    List<String> removed = engine().revoke(provider);
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "revoked");
      m.put("provider", provider);
      m.put("connections", removed);
      out().json(m);
    } else {
      out().info("Revoked all credentials for " + provider + ".");
    }
    return 0;
  }
}
