package dev.authsome.shell.command;

import dev.authsome.core.LoginRequest;
import dev.authsome.core.LoginResult;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import dev.authsome.shell.InputCollectors;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code authsome login PROVIDER}: runs the provider's flow and stores the credential. */
final class LoginCommand extends Base implements CodeModel.Declared {
  String provider;
  String connection;
  String flow;
  String scopes;
  String baseUrl;
  boolean force;
  boolean stdin;
  String clientId;
  boolean noBrowser;
  Integer timeoutSeconds;

  LoginCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "login",
        "Log in to a provider and store the credential in the vault.");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    spec.addOption(CodeModel.option("--connection", "NAME",
        "Connection name (default: the provider's default connection, initially 'default').", String.class,
        () -> connection, v -> connection = v));
    spec.addOption(CodeModel.option("--flow", "FLOW",
        "Flow to use (api_key, pkce, device_code, dcr_pkce, client_credentials); default: the provider's.",
        String.class, () -> flow, v -> flow = v));
    spec.addOption(CodeModel.option("--scopes", "a,b", "Comma-separated scopes to request.", String.class,
        () -> scopes, v -> scopes = v));
    spec.addOption(CodeModel.option("--base-url", "URL", "Base URL for enterprise or multi-tenant providers.",
        String.class, () -> baseUrl, v -> baseUrl = v));
    spec.addOption(CodeModel.flag("--force", "Replace an existing connection. The old one stays until the new login"
        + " succeeds; then its old token is revoked at the provider (a failed revocation is only a warning).",
        () -> force, v -> force = v));
    spec.addOption(CodeModel.flag("--stdin",
        "Read the secret (API key or client secret) from one line of standard input.", () -> stdin,
        v -> stdin = v));
    spec.addOption(CodeModel.option("--client-id", "ID", "OAuth client id (not a secret).", String.class,
        () -> clientId, v -> clientId = v));
    spec.addOption(CodeModel.flag("--no-browser", "Do not open a browser; print the URL instead.", () -> noBrowser,
        v -> noBrowser = v));
    spec.addOption(CodeModel.option("--timeout", "SECONDS", "How long to wait for the browser or form.",
        Integer.class, () -> timeoutSeconds, v -> timeoutSeconds = v));
    return spec;
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
