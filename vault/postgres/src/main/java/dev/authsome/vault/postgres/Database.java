package dev.authsome.vault.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.authsome.core.AuthsomeException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The connections of one open vault: a HikariCP pool for statements, plain connections for the change listener and,
 * per thread, the connection that holds its advisory locks (statements of a thread that holds a lock run on it, so
 * a lock holder never waits for the pool). Every connection has timeouts: connect 10 s (login 20 s), each statement 15 s on the
 * server ({@code statement_timeout}), a 30 s socket timeout as the last bound, so nothing hangs.
 *
 * <p>Failures become {@link AuthsomeException}s with exit 7 naming {@code host:port}; {@link #run} retries an
 * operation through a server restart for up to {@link #RETRY_BUDGET}, then gives up with that error.
 */
final class Database implements AutoCloseable {
  static final Duration RETRY_BUDGET = Duration.ofSeconds(12);
  private static final String INIT_SQL = "SET statement_timeout = '15s'; SET lock_timeout = '10s';"
      + " SET idle_in_transaction_session_timeout = '60s'";

  private final PostgresUrl url;
  private final String user;
  private final java.util.function.Supplier<Optional<Passwords.Found>> passwords;
  private @Nullable Optional<Passwords.Found> password;
  private final ThreadLocal<LockConnection> lockConnection = new ThreadLocal<>();
  private @Nullable HikariDataSource pool;
  private volatile boolean closed;
  /** Whether the pool ever connected: a process that never reached the server does not wait for it. */
  private volatile boolean connected;

  /** An operation on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** {@code passwords} is asked once, on the first connection (a keychain lookup is not free). */
  Database(PostgresUrl url, String user, java.util.function.Supplier<Optional<Passwords.Found>> passwords) {
    this.url = url;
    this.user = user;
    this.passwords = passwords;
  }

  private synchronized Optional<Passwords.Found> password() {
    if (password == null) {
      password = passwords.get();
    }
    return password;
  }

  PostgresUrl url() {
    return url;
  }

  /**
   * Runs {@code work} on a connection: the thread's lock connection if it holds a lock, else one from the pool. With
   * {@code retry}, a connection failure (server restarting, network blip) is retried with back-off within
   * {@link #RETRY_BUDGET}; without it (a write whose outcome would be unknown) the failure is reported at once.
   */
  <T> T run(String what, boolean retry, Work<T> work) {
    LockConnection held = lockConnection.get();
    if (held != null) {
      try {
        return work.run(held.connection);
      } catch (SQLException e) {
        throw failure(what, e);
      }
    }
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    long backoff = 100;
    while (true) {
      try (Connection c = pool().getConnection()) {
        return work.run(c);
      } catch (SQLException e) {
        // Only a process that has reached the server waits for it to come back; a first attempt fails at once.
        if (!retry || !connected || !transientFailure(e) || System.nanoTime() + backoff * 1_000_000 > deadline
            || closed) {
          throw failure(what, e);
        }
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, 1000);
    }
  }

  /** The thread's lock connection, taken from the pool on its first lock; see {@link #releaseLockConnection}. */
  Connection lockConnection() {
    LockConnection held = lockConnection.get();
    if (held == null) {
      held = new LockConnection(borrow());
      lockConnection.set(held);
    }
    held.holds++;
    return held.connection;
  }

  private Connection borrow() {
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    while (true) {
      try {
        return pool().getConnection();
      } catch (SQLException e) {
        if (!connected || !transientFailure(e) || System.nanoTime() > deadline || closed) {
          throw failure("take a connection for a lock", e);
        }
        sleep(250);
      }
    }
  }

  /** Gives back one hold of the thread's lock connection; the last one returns it to the pool. */
  void releaseLockConnection() {
    LockConnection held = lockConnection.get();
    if (held != null && --held.holds == 0) {
      lockConnection.remove();
      try {
        held.connection.close();
      } catch (SQLException e) {
        // a broken connection is dropped by the pool; its session, and so its locks, are gone with it
      }
    }
  }

  boolean holdsLock() {
    return lockConnection.get() != null;
  }

  /** A new connection outside the pool, for LISTEN: it lives as long as the listener and is never shared. */
  Connection dedicatedConnection() throws SQLException {
    Connection c = dataSource().getConnection();
    try (var s = c.createStatement()) {
      s.execute(INIT_SQL);
    }
    return c;
  }

  private synchronized HikariDataSource pool() throws SQLException {
    if (closed) {
      throw new IllegalStateException("the vault on " + url.display() + " is closed");
    }
    if (pool == null) {
      HikariConfig config = new HikariConfig();
      config.setDataSource(dataSource());
      config.setPoolName("authsome-vault");
      config.setMaximumPoolSize(8);
      config.setMinimumIdle(0); // a short command opens one connection, not eight
      // HikariCP hands this to the data source as its login timeout too: TCP + TLS + SCRAM on a loaded machine
      config.setConnectionTimeout(20_000);
      config.setValidationTimeout(2_000);
      config.setIdleTimeout(60_000);
      config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
      config.setConnectionInitSql(INIT_SQL);
      // one connection attempt when the pool is made (on first use): an unreachable server fails the command at
      // once with host:port, instead of after the pool's connection timeout
      config.setInitializationFailTimeout(1);
      try {
        pool = new HikariDataSource(config);
      } catch (RuntimeException e) {
        if (e.getCause() instanceof SQLException cause) {
          throw cause;
        }
        throw e;
      }
      connected = true;
    }
    return pool;
  }

  /**
   * Logs in once with {@code candidate} instead of the password found (for {@code vault password set}).
   *
   * @throws AuthsomeException exit 7 naming host and port when the server refuses it or cannot be reached
   */
  void checkLogin(String candidate) {
    PGSimpleDataSource ds = dataSource(Optional.of(candidate));
    try (Connection c = ds.getConnection()) {
      c.isValid(5);
    } catch (SQLException e) {
      String state = Optional.ofNullable(rootState(e)).orElse("");
      if (state.startsWith("28")) {
        throw AuthsomeException.vault("PostgreSQL at " + url.hostPort() + " (database " + url.database() + ", user "
            + user + ") refused the login with this password (" + rootMessage(e) + "); nothing was stored", e);
      }
      throw AuthsomeException.vault("could not check the password: " + failure("log in", e).getMessage()
          + "; nothing was stored", e);
    }
  }

  private PGSimpleDataSource dataSource() {
    return dataSource(password().map(Passwords.Found::password));
  }

  private PGSimpleDataSource dataSource(Optional<String> secret) {
    var ds = new PGSimpleDataSource();
    ds.setURL(url.jdbcUrl());
    ds.setUser(user);
    secret.ifPresent(ds::setPassword);
    if (!url.parameters().containsKey("connectTimeout")) {
      ds.setConnectTimeout(10);
    }
    if (!url.parameters().containsKey("socketTimeout")) {
      ds.setSocketTimeout(30);
    }
    if (!url.parameters().containsKey("loginTimeout")) {
      ds.setLoginTimeout(20); // TCP + TLS + SCRAM on a loaded machine; connectTimeout bounds an unanswered SYN
    }
    if (!url.parameters().containsKey("ApplicationName")) {
      ds.setApplicationName("authsome");
    }
    ds.setTcpKeepAlive(true);
    return ds;
  }

  /** Whether {@code e} says the server is (for now) unreachable rather than that the statement is wrong. */
  static boolean transientFailure(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
            || state.equals("53300")) {
          return true;
        }
      }
      if (t instanceof java.sql.SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  /** The error the user sees: exit 7, naming the server and the cause, never the password. */
  AuthsomeException failure(String what, SQLException e) {
    String where = "PostgreSQL at " + url.hostPort() + " (database " + url.database() + ", user " + user + ")";
    String state = Optional.ofNullable(rootState(e)).orElse("");
    String reason = rootMessage(e);
    String fix;
    if (state.startsWith("28")) {
      fix = "the login was refused (" + password().map(Passwords.Found::toString).orElse("no password found")
          + "); set PGPASSWORD, a 0600 ~/.pgpass line or the keychain"
          + " item authsome-postgres to the right password";
    } else if (state.equals("3D000")) {
      fix = "create the database first (createdb " + url.database() + ") or correct the vault URL";
    } else if (state.equals("42501")) {
      fix = "the user lacks a privilege; on first use the user must be allowed to create tables in the database";
    } else if (state.equals("57014")) {
      fix = "a statement timed out; the server is overloaded or a lock is held too long, try again";
    } else if (transientFailure(e)) {
      fix = "cannot reach the server; check that it runs and that the vault URL is right (the local file vault is"
          + " untouched)";
    } else {
      fix = "the database refused the statement";
    }
    return AuthsomeException.vault("could not " + what + " on " + where + ": " + reason + "; " + fix, e);
  }

  private static @Nullable String rootState(SQLException e) {
    String state = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        state = s.getSQLState();
      }
    }
    return state;
  }

  private static String rootMessage(Throwable e) {
    Throwable deepest = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        deepest = t;
      }
    }
    String message = String.valueOf(deepest.getMessage()).replace('\n', ' ').strip();
    return message.length() > 300 ? message.substring(0, 300) + "..." : message;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AuthsomeException.vault("interrupted while waiting for the database; run the command again", e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the connection broke: the server rolls the transaction back itself
    }
  }

  static void autoCommitQuietly(Connection c) {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // a broken connection; the pool discards it
    }
  }

  /** A connection one thread holds for its advisory locks, with the number of locks on it. */
  private static final class LockConnection {
    final Connection connection;
    int holds;

    LockConnection(Connection connection) {
      this.connection = connection;
    }
  }
}
