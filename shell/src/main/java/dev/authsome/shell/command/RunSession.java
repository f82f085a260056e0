package dev.authsome.shell.command;

import dev.authsome.core.AuthsomeException;
import dev.authsome.proxy.CredentialProxy;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.shell.App;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One {@code authsome run}: proxy up, child run to completion, proxy down, per-run files gone. */
final class RunSession {
  private RunSession() {
  }

  static int run(App app, int port, List<String> command) {
    if (port < 0 || port > 65_535) {
      throw AuthsomeException.usage("--port " + port + " is outside 0-65535.");
    }
    ProxyOptions options = ProxySetup.options(app.engine(), app.environment()).withPort(port);
    Path runDir = ProxySetup.newRunDir(app.engine().home());
    try (CredentialProxy proxy = ProxySetup.start(app, options)) {
      Map<String, String> env = ProxySetup.childEnvironment(app, proxy, runDir).variables();
      app.out().note(ProxySetup.banner(proxy, options));
      return ChildProcess.run(command, env, message -> app.out().error(message), app.sigintRouted());
    } finally {
      ProxySetup.deleteTree(runDir);
    }
  }
}
