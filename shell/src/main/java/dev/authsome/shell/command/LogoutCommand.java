package dev.authsome.shell.command;

import dev.authsome.core.LogoutResult;
import dev.authsome.shell.App;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code authsome logout PROVIDER}: revokes the token at the provider and deletes the connection. */
@Command(name = "logout", description = "Log out of one connection (revoked at the provider, deleted locally).")
final class LogoutCommand extends Base {
  @Parameters(index = "0", paramLabel = "PROVIDER")
  String provider;

  @Option(names = "--connection", paramLabel = "NAME", description = "Connection name (default: the default one).")
  String connection;

  LogoutCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    LogoutResult r = engine().logout(provider, connection);
    String name = r.connection();
    boolean existed = r.existed();
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", existed ? "logged_out" : "not_logged_in");
      m.put("provider", provider);
      m.put("connection", name);
      out().json(m);
    } else if (existed) {
      out().info("Logged out of " + provider + " (" + name + ").");
    } else {
      out().info("Not logged in to " + provider + " (" + name + "); nothing to do.");
    }
    return 0;
  }
}
