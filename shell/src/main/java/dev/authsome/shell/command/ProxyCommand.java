package dev.authsome.shell.command;

import dev.authsome.core.AuthsomeException;
import dev.authsome.shell.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code authsome proxy}: the credential proxy as a long-running process for an agent started elsewhere (another
 * terminal, a container). Prints the environment that agent should set and runs until Ctrl-C or SIGTERM. The proxy
 * types are reached only through {@link ProxyServer}.
 */
@Command(name = "proxy", sortOptions = false, subcommands = ProxyCommand.Ca.class,
    description = {"Run the credential proxy until stopped (Ctrl-C or SIGTERM), for an agent started elsewhere.",
        "Prints the environment that agent should set (export lines; --json: one object with proxy_url, ca_file "
            + "and env). Its CA certificate is at $AUTHSOME_HOME/proxy/ca.pem while it runs."},
    footer = {"", "Example: run 'authsome proxy' in one terminal; in another, paste the printed export lines and "
        + "start the agent."})
final class ProxyCommand extends Base {
  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "Port to listen on (default: any free port).")
  int port;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on (default 127.0.0.1); a non-loopback address needs --allow-remote.")
  String bind;

  @Option(names = "--allow-remote",
      description = "Accept connections on a non-loopback --bind address (containers); the proxy credential is "
          + "still required.")
  boolean allowRemote;

  @Option(names = "--persistent-ca",
      description = "Use the persistent CA, kept encrypted in the vault, instead of a new one per start (for "
          + "installing it in a trust store once); also proxy.ca: persistent.")
  boolean persistentCa;

  ProxyCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    return ProxyServer.serve(app, new ProxyServer.Request(port, bind, allowRemote, persistentCa));
  }

  /** Where {@code authsome proxy} keeps its CA certificate while it runs. */
  static Path caFile(App app) {
    return proxyDir(app).resolve("ca.pem");
  }

  static Path proxyDir(App app) {
    return app.engine().home().resolve("proxy");
  }

  /** {@code authsome proxy ca path|export}. */
  @Command(name = "ca", subcommands = {CaPath.class, CaExport.class, CaRotate.class},
      description = "The CA certificate of 'authsome proxy' (for trust stores and containers).")
  static final class Ca extends Base {
    Ca(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      throw AuthsomeException.usage("Missing subcommand: 'authsome proxy ca path', 'authsome proxy ca export' or "
          + "'authsome proxy ca rotate'.");
    }
  }

  /** {@code authsome proxy ca path}: the CA file's path. */
  @Command(name = "path", description = "Print the path of the proxy's CA certificate (PEM): the running proxy's, "
      + "else the persistent CA's.")
  static final class CaPath extends Base {
    CaPath(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      Path file = ProxyServer.caFileForExport(app);
      if (json()) {
        out().json(Map.of("ca_file", file.toString()));
      } else {
        out().value(file.toString());
      }
      return 0;
    }
  }

  /** {@code authsome proxy ca export}: the CA certificate itself. */
  @Command(name = "export", description = "Print the proxy's CA certificate (PEM): the running proxy's, else the "
      + "persistent CA's.")
  static final class CaExport extends Base {
    CaExport(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      Path file = ProxyServer.caFileForExport(app);
      try {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (json()) {
          out().json(Map.of("ca_file", file.toString(), "certificate", pem));
        } else {
          out().value(pem.stripTrailing());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return 0;
    }
  }

  /** {@code authsome proxy ca rotate}: a new persistent CA. */
  @Command(name = "rotate", description = "Make a new persistent CA for today's connected providers (the old one is "
      + "no longer trusted by the proxy: trust the new certificate wherever the old one was).")
  static final class CaRotate extends Base {
    CaRotate(App app) {
      super(app);
    }

    @Override
    public Integer call() {
      Path file = ProxyServer.rotate(app);
      if (json()) {
        out().json(Map.of("ca_file", file.toString()));
      } else {
        out().info("Rotated the persistent proxy CA; trust the new certificate wherever the old one was: " + file);
      }
      return 0;
    }
  }
}
