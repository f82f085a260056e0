package dev.authsome.vault.postgres;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.vault.tck.VaultContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;

/**
 * The postgres backend meets the vault contract on a real PostgreSQL server: each test home gets a database of its
 * own, and every instance opened for that home is another node of the same shared vault (its key in the home's key
 * file, its password from {@code PGPASSWORD}).
 */
class PostgresVaultContractTest extends VaultContract {
  private static final Map<Path, String> DATABASES = new ConcurrentHashMap<>();
  private static TestPostgres pg;

  @BeforeAll
  static void server() {
    pg = TestPostgres.shared();
  }

  @Override
  protected Vault openVault(Path home) {
    String database = DATABASES.computeIfAbsent(home, h -> pg.createDatabase());
    return new PostgresVaultProvider().open(new VaultContext(home, pg.environment(database), Map.of()));
  }

  /** Flips one character of the record's ciphertext in its row, as a stray UPDATE would. */
  @Override
  protected void damageRecord(Path home, String key) throws Exception {
    try (Connection c = pg.connect(DATABASES.get(home));
        PreparedStatement s = c.prepareStatement("UPDATE authsome_records SET sealed = overlay(sealed placing"
            + " CASE WHEN substr(sealed, 20, 1) = 'A' THEN 'B' ELSE 'A' END from 20 for 1) WHERE record_key = ?")) {
      s.setString(1, key);
      if (s.executeUpdate() != 1) {
        throw new AssertionError("no row for " + key);
      }
    }
  }
}
