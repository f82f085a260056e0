package dev.authsome.shell.command;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.oauth.EnvironmentProxy;
import dev.authsome.oauth.IssuerRegistration;
import dev.authsome.oauth.OAuthHttp;
import dev.authsome.shell.App;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code authsome register FILE}: validates a definition and installs it as a custom provider.
 * {@code authsome register --issuer URL [--name NAME]}: builds the definition from the issuer's OAuth (RFC 8414) or
 * OpenID discovery document instead.
 */
@Command(name = "register", description = "Validate a provider definition (YAML or JSON) and add it as a custom "
    + "provider, or build one from an OAuth/OpenID issuer's discovery document with --issuer.")
final class RegisterCommand extends Base {
  @Parameters(index = "0", paramLabel = "FILE", arity = "0..1",
      description = "Provider definition file (YAML or JSON); leave it out with --issuer.")
  Path file;

  @Option(names = "--issuer", paramLabel = "URL",
      description = "Build the definition from this issuer's /.well-known metadata (RFC 8414 or OpenID).")
  String issuer;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Provider name for --issuer (default: the issuer's host with dots replaced by '-').")
  String name;

  @Option(names = "--force", description = "Overwrite an existing custom definition of the same name.")
  boolean force;

  RegisterCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    if (file == null && issuer == null) {
      throw AuthsomeException.usage("Nothing to register: pass a definition FILE or --issuer URL; see 'authsome "
          + "register --help'.");
    }
    if (file != null && issuer != null) {
      throw AuthsomeException.usage("Pass either a definition FILE or --issuer URL, not both; see 'authsome "
          + "register --help'.");
    }
    if (name != null && issuer == null) {
      throw AuthsomeException.usage("--name goes with --issuer; a definition file names its provider itself.");
    }
    ProviderDefinition def;
    if (issuer != null) {
      Map<String, String> env = app.environment();
      EnvironmentProxy proxy = EnvironmentProxy.from(first(env, "HTTPS_PROXY", "https_proxy"),
          first(env, "HTTP_PROXY", "http_proxy"), first(env, "NO_PROXY", "no_proxy"));
      def = engine().register(new IssuerRegistration(new OAuthHttp(proxy)).definition(issuer, name), force);
    } else {
      def = engine().register(file, force);
    }
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

  private static String first(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
