package dev.authsome.vault.postgres;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;

/**
 * The {@code postgres} backend: a vault shared by every machine that reaches one PostgreSQL database. Selected with
 * {@code vault.backend: postgres} (or {@code AUTHSOME_VAULT=postgres}, {@code --vault postgres}); the database is
 * {@code AUTHSOME_VAULT_URL}, else {@code vault.url}. Opening does no I/O: the first operation connects.
 *
 * <p>This class names no pgJDBC, HikariCP or Caffeine type, so ServiceLoader listing the backends (every command
 * does) loads none of those libraries.
 */
public final class PostgresVaultProvider implements VaultProvider {
  static final String URL_VARIABLE = "AUTHSOME_VAULT_URL";
  static final String URL_SETTING = "url";

  /** The constructor ServiceLoader calls. */
  public PostgresVaultProvider() {
  }

  @Override
  public String id() {
    return "postgres";
  }

  @Override
  public String description() {
    return "shared vault on PostgreSQL (records sealed with AES-256-GCM on this machine)";
  }

  @Override
  public Vault open(VaultContext context) {
    requireNonNull(context, "context");
    String origin = URL_VARIABLE;
    String url = context.env(URL_VARIABLE).filter(u -> !u.isBlank()).orElse(null);
    if (url == null) {
      origin = "vault.url in config.yaml";
      url = context.setting(URL_SETTING).filter(u -> !u.isBlank()).orElseThrow(() -> AuthsomeException.usage(
          "the postgres vault needs a database: set " + URL_VARIABLE + " or vault.url to"
              + " postgresql://USER@HOST:PORT/DATABASE (the password goes to PGPASSWORD or ~/.pgpass, never the URL)"));
    }
    PostgresUrl parsed = PostgresUrl.parse(url, origin);
    String user = parsed.user().or(() -> context.env("PGUSER").filter(u -> !u.isBlank()))
        .orElseGet(() -> System.getProperty("user.name"));
    MasterKey key = MasterKey.select(context);
    return new PostgresVault(new Database(parsed, user, () -> Passwords.find(context, parsed, user)), key,
        password -> Passwords.store(context, password));
  }
}
