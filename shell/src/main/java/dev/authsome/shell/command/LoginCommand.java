package dev.authsome.shell.command;

import dev.authsome.core.LoginRequest;
import dev.authsome.core.LoginResult;
import dev.authsome.shell.App;
import dev.authsome.shell.InputCollectors;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code authsome login PROVIDER}: runs the provider's flow and stores the credential. */
@Command(name = "login", description = "Log in to a provider and store the credential in the vault.")
final class LoginCommand extends Base {
  @Parameters(index = "0", paramLabel = "PROVIDER", description = "Provider name (see 'authsome list').")
  String provider;

  @Option(names = "--connection", paramLabel = "NAME",
      description = "Connection name (default: the provider's default connection, initially 'default').")
  String connection;

  @Option(names = "--flow", paramLabel = "FLOW",
      description = "Flow to use (api_key, pkce, device_code, dcr_pkce, client_credentials); default: the provider's.")
  String flow;

  @Option(names = "--scopes", paramLabel = "a,b", description = "Comma-separated scopes to request.")
  String scopes;

  @Option(names = "--base-url", paramLabel = "URL", description = "Base URL for enterprise or multi-tenant providers.")
  String baseUrl;

  @Option(names = "--force", description = "Replace an existing connection. The old one stays until the new login"
      + " succeeds; then its old token is revoked at the provider (a failed revocation is only a warning).")
  boolean force;

  @Option(names = "--stdin", description = "Read the secret (API key or client secret) from one line of standard input.")
  boolean stdin;

  @Option(names = "--client-id", paramLabel = "ID", description = "OAuth client id (not a secret).")
  String clientId;

  @Option(names = "--no-browser", description = "Do not open a browser; print the URL instead.")
  boolean noBrowser;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the browser or form.")
  Integer timeoutSeconds;

  LoginCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    List<String> scopeList = scopes == null ? List.of()
        : Arrays.stream(scopes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    Map<String, String> options = new LinkedHashMap<>();
    if (clientId != null) {
      options.put("client_id", clientId);
    }
    if (noBrowser) {
      options.put("no_browser", "true");
    }
    if (timeoutSeconds != null && timeoutSeconds <= 0) {
      throw dev.authsome.core.AuthsomeException.usage("--timeout must be a positive number of seconds, not "
          + timeoutSeconds + ".");
    }
    Duration timeout = timeoutSeconds == null ? engine().settings().loginTimeout()
        : Duration.ofSeconds(timeoutSeconds);
    app.useInput(InputCollectors.choose(InputCollectors.standard(app, stdin,
        List.of(app.browserInput(noBrowser, timeout)))));
    if (force) {
      out().note("Warning: --force replaces the existing connection, if any.");
    }
    LoginResult r;
    try (App.Restorer sigint = app.interruptOnSigint(Thread.currentThread())) {
      r = engine().login(new LoginRequest(provider, connection, flow, scopeList, baseUrl, force, options,
          timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds)));
    } finally {
      Thread.interrupted(); // a Ctrl-C that arrived as the login finished must not disturb what follows
    }
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "success");
      m.put("provider", r.provider());
      m.put("connection", r.connection());
      m.put("flow", r.flow());
      m.put("record_status", r.recordStatus().wireName());
      m.put("replaced", r.replaced());
      out().json(m);
    } else {
      out().info("Successfully logged in to " + r.provider() + " (" + r.connection() + ").");
    }
    return 0;
  }
}
