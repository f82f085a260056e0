package dev.authsome.vault.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on {@code authsome_vault} on its own connection (never a pooled one: a pooled connection would be handed
 * to statements, and LISTEN belongs to a session) and reports every changed record key. When the connection drops,
 * it reports a reset (everything may have changed meanwhile), reconnects with back-off, and reports a reset again
 * once listening, so the cache above drops everything and re-reads. {@link #listening()} is false while disconnected;
 * the cache is bypassed then.
 */
final class ChangeListener implements AutoCloseable {
  static final String CHANNEL = "authsome_vault";
  /** A payload naming no key: drop everything (a key too long for NOTIFY's 8000 bytes). */
  static final String ALL = "*";

  private final Database database;
  private final Consumer<String> changed;
  private final Runnable reset;
  private final Thread thread;
  private volatile boolean listening;
  private volatile boolean closed;
  private volatile @Nullable Connection connection;

  ChangeListener(Database database, Consumer<String> changed, Runnable reset) {
    this.database = database;
    this.changed = changed;
    this.reset = reset;
    this.thread = new Thread(this::loop, "authsome-vault-listener");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean listening() {
    return listening;
  }

  private void loop() {
    long backoff = 100;
    while (!closed) {
      try (Connection c = database.dedicatedConnection()) {
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        reset.run(); // what changed while not listening is unknown: drop it all
        listening = true;
        backoff = 100;
        PGConnection pg = c.unwrap(PGConnection.class);
        int quiet = 0;
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(250);
          if (notifications == null || notifications.length == 0) {
            // getNotifications notices a closed socket, but not a silent network loss: ping now and then
            if (++quiet >= 20) {
              quiet = 0;
              try (Statement s = c.createStatement()) {
                s.execute("SELECT 1");
              }
            }
            continue;
          }
          for (PGNotification n : notifications) {
            String payload = n.getParameter();
            int space = payload.indexOf(' ');
            changed.accept(space < 0 ? ALL : payload.substring(space + 1));
          }
        }
      } catch (SQLException | RuntimeException e) {
        // the server restarted or went away: below, reconnect after a pause
      } finally {
        listening = false;
        connection = null;
      }
      if (closed) {
        break;
      }
      reset.run();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        break;
      }
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  @Override
  public void close() {
    closed = true;
    listening = false;
    thread.interrupt();
    Connection c = connection;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing a broken connection: nothing left to release
      }
    }
  }
}
