/**
 * The vault backend {@code postgres}: a vault shared by many machines on one PostgreSQL database. Every record is
 * sealed with AES-256-GCM on the client (the record key as associated data), so the database holds only ciphertext
 * plus non-secret index columns. Found through ServiceLoader; exports nothing.
 *
 * <p>Nothing of pgJDBC, HikariCP or Caffeine is touched until the backend is selected and used: the provider class
 * names none of them, so listing or skipping backends loads none of their classes.
 */
module dev.authsome.vault.postgres {
  requires static org.jspecify;
  requires dev.authsome.core;
  requires java.sql;
  // pgJDBC is an automatic module (Automatic-Module-Name org.postgresql.jdbc): PGConnection for LISTEN/NOTIFY.
  requires org.postgresql.jdbc;
  requires com.zaxxer.hikari;
  requires com.github.benmanes.caffeine;

  provides dev.authsome.core.spi.VaultProvider with dev.authsome.vault.postgres.PostgresVaultProvider;

  // the master key and the database password may live in the OS keychain (the keychain backend provides this)
  uses dev.authsome.core.spi.MasterKeyStoreProvider;
}
