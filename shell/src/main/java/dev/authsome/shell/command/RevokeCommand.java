package dev.authsome.shell.command;

import dev.authsome.core.LogoutResult;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code authsome revoke PROVIDER}: logs out every connection and forgets the OAuth clients. Like {@code logout}, a
 * revocation the provider did not confirm is a warning on stderr and {@code "revoked_at_provider": false}, not an
 * error exit.
 */
final class RevokeCommand extends Base implements CodeModel.Declared {
  String provider;

  RevokeCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "revoke",
        "Log out of every connection of a provider and forget its OAuth client.");
    spec.addPositional(CodeModel.provider(() -> provider, v -> provider = v));
    return spec;
  }

  @Override
  public Integer call() {
    List<LogoutResult> removed = engine().revoke(provider);
    List<String> notRevoked = removed.stream().filter(r -> LogoutCommand.notRevoked(r.revocation()))
        .map(LogoutResult::connection).toList();
    if (json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "revoked");
      m.put("provider", provider);
      m.put("connections", removed.stream().map(LogoutResult::connection).toList());
      m.put("revoked_at_provider", removed.stream()
          .allMatch(r -> r.revocation() != null && r.revocation().revokedAtProvider()));
      List<Map<String, Object>> each = new ArrayList<>();
      for (LogoutResult r : removed) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("connection", r.connection());
        if (r.revocation() != null) {
          one.putAll(LogoutCommand.revocationFields(r.revocation()));
        }
        each.add(one);
      }
      m.put("revocations", each);
      out().json(m);
    } else if (notRevoked.isEmpty()) {
      out().info("Revoked all credentials for " + provider + ".");
    } else {
      out().info("Deleted all credentials for " + provider + " locally; NOT revoked at the provider: "
          + String.join(", ", notRevoked) + ".");
    }
    return 0;
  }
}
