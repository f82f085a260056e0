package dev.authsome.vault.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The vault's tables, created and upgraded on first use by numbered migrations recorded in {@code authsome_schema}.
 *
 * <p>A small versioned table rather than Flyway: two statements of bookkeeping instead of a 700 KB library (plus its
 * PostgreSQL module) that scans the class path for migrations and costs several hundred milliseconds on the first
 * statement of every short command; the migrations here are a handful of DDL lines kept in code. Migrations run in
 * one transaction under a transaction-level advisory lock, so nodes starting together apply each exactly once, and
 * a node with an older authsome refuses a schema newer than it knows.
 */
final class Schema {
  /** The schema version this authsome writes and reads. */
  static final int CURRENT = 1;
  /** The advisory lock key that serialises migrations (any constant apart from the record locks' hashes). */
  private static final long MIGRATION_LOCK = 0x61757468736f6d65L; // "authsome"

  private static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "records, revision sequence, key check", List.of(
          "CREATE SEQUENCE authsome_revision",
          // record_key is non-secret (profile:default:github:connection:work); COLLATE "C" compares bytes, which
          // is what a prefix scan wants. profile/provider/connection repeat parts of it for queries by operators.
          "CREATE TABLE authsome_records ("
              + " record_key text COLLATE \"C\" PRIMARY KEY,"
              + " profile text, provider text, connection text,"
              + " sealed text NOT NULL,"
              + " version bigint NOT NULL,"
              + " updated_at timestamptz NOT NULL DEFAULT now())",
          "CREATE INDEX authsome_records_connection ON authsome_records (profile, provider, connection)",
          // key_check: a constant sealed with the vault's key, so a node with another key fails before writing
          "CREATE TABLE authsome_meta (name text PRIMARY KEY, value text NOT NULL)")));

  private record Migration(int version, String description, List<String> statements) {
  }

  private Schema() {
  }

  /**
   * Brings the schema to {@link #CURRENT}; returns the version found before. Cheap when already current: one query.
   *
   * @throws SQLException as the database reports it; {@link SchemaTooNew} when another node runs a newer authsome
   */
  static int ensure(Connection c) throws SQLException {
    try {
      int found = maxVersion(c);
      if (found == CURRENT) {
        return found;
      }
      if (found > CURRENT) {
        throw new SchemaTooNew(found);
      }
    } catch (SchemaTooNew e) {
      throw e;
    } catch (SQLException e) {
      if (!"42P01".equals(e.getSQLState())) { // undefined_table: a new database, migrated below
        throw e;
      }
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      s.execute("CREATE TABLE IF NOT EXISTS authsome_schema (version integer PRIMARY KEY,"
          + " description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      int before = maxVersion(c);
      if (before > CURRENT) {
        throw new SchemaTooNew(before);
      }
      for (Migration m : MIGRATIONS) {
        if (m.version() > before) {
          for (String sql : m.statements()) {
            s.execute(sql);
          }
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO authsome_schema (version, description) VALUES (?, ?)")) {
            insert.setInt(1, m.version());
            insert.setString(2, m.description());
            insert.executeUpdate();
          }
        }
      }
      c.commit();
      return before;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static int maxVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM authsome_schema")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The database's schema is newer than this authsome knows. */
  static final class SchemaTooNew extends SQLException {
    private static final long serialVersionUID = 1L;
    final int found;

    SchemaTooNew(int found) {
      super("schema version " + found + " is newer than " + CURRENT);
      this.found = found;
    }
  }
}
