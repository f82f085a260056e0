package dev.authsome.shell.command;

import dev.authsome.core.LogoutResult;
import dev.authsome.core.Revocation;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code authsome logout PROVIDER}: revokes the token at the provider and deletes the connection. A revocation the
 * provider did not confirm still exits 0 (the local copy, which is what logout promises, is gone); the engine warns on
 * stderr, and {@code --json} says {@code "revoked_at_provider": false} with the reason.
 */
final class LogoutCommand extends Base implements CodeModel.Declared {
  String provider;
  String connection;

  LogoutCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "logout",
        "Log out of one connection (revoked at the provider, deleted locally).");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    spec.addOption(CodeModel.connection(() -> connection, v -> connection = v));
    return spec;
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
      if (r.revocation() != null) {
        m.putAll(revocationFields(r.revocation()));
      }
      out().json(m);
    } else if (existed) {
      out().info("Logged out of " + provider + " (" + name + ")" + (notRevoked(r.revocation())
          ? "; deleted locally, NOT revoked at the provider." : "."));
    } else {
      out().info("Not logged in to " + provider + " (" + name + "); nothing to do.");
    }
    return 0;
  }

  /** {@code "revoked_at_provider"} and {@code "revocation": {"outcome", "error"?, "detail"?, "endpoint"?}}. */
  static Map<String, Object> revocationFields(Revocation revocation) {
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("outcome", revocation.outcome().wireName());
    if (revocation.error() != null) {
      outcome.put("error", revocation.error());
    }
    if (revocation.detail() != null) {
      outcome.put("detail", revocation.detail());
    }
    if (revocation.endpoint() != null) {
      outcome.put("endpoint", revocation.endpoint());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revoked_at_provider", revocation.revokedAtProvider());
    m.put("revocation", outcome);
    return m;
  }

  /** Whether the provider was asked to revoke and did not (refused, unreachable, failed). */
  static boolean notRevoked(Revocation revocation) {
    return revocation != null && !revocation.revokedAtProvider()
        && revocation.outcome() != Revocation.Outcome.UNSUPPORTED;
  }
}
