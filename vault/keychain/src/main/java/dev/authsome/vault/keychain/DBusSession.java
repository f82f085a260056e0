package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.errors.Error;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;

/**
 * A private connection to the D-Bus session bus that makes raw method calls with a deadline. Raw calls (signature
 * plus arguments) instead of dbus-java's proxy interfaces: no reflection, and every call either answers or fails
 * within {@link #timeout} with a message that says what to do; nothing here can hang.
 */
final class DBusSession implements AutoCloseable {
  static final String FIX = "use --vault file, or set vault.backend: file in config.yaml";

  private final DBusConnection connection;
  private final Duration timeout;

  private DBusSession(DBusConnection connection, Duration timeout) {
    this.connection = connection;
    this.timeout = timeout;
  }

  /** Connects to the session bus named by {@code environment}, failing within {@code timeout}. */
  static DBusSession connect(Map<String, String> environment, Duration timeout) {
    String address = sessionBusAddress(environment);
    CompletableFuture<DBusConnection> connecting = new CompletableFuture<>();
    Thread connector = new Thread(() -> {
      try {
        connecting.complete(DBusConnectionBuilder.forAddress(address).withShared(false).build());
      } catch (DBusException | RuntimeException | LinkageError e) {
        connecting.completeExceptionally(e);
      }
    }, "authsome-dbus-connect");
    connector.setDaemon(true);
    connector.start();
    try {
      return new DBusSession(connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS), timeout);
    } catch (TimeoutException e) {
      // a connection that still arrives later is closed, not leaked
      connecting.thenAccept(DBusConnection::disconnect);
      throw AuthsomeException.vault("the D-Bus session bus at " + address + " did not answer within "
          + timeout.toSeconds() + " s: check that the desktop session is healthy, or " + FIX);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw AuthsomeException.vault("cannot connect to the D-Bus session bus at " + address + " (" + describe(cause)
          + "): run inside a desktop session or " + FIX, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw AuthsomeException.vault("interrupted while connecting to the D-Bus session bus");
    }
  }

  /**
   * The session bus address: {@code DBUS_SESSION_BUS_ADDRESS}, else the systemd user bus
   * {@code $XDG_RUNTIME_DIR/bus}. Abstract sockets cannot be opened by the JDK, so they too fall back to the latter.
   */
  static String sessionBusAddress(Map<String, String> environment) {
    String address = environment.getOrDefault("DBUS_SESSION_BUS_ADDRESS", "").trim();
    String runtimeDir = environment.getOrDefault("XDG_RUNTIME_DIR", "").trim();
    Path userBus = runtimeDir.isEmpty() ? null : Path.of(runtimeDir, "bus");
    boolean userBusExists = userBus != null && Files.exists(userBus);
    if (address.isEmpty()) {
      if (userBusExists) {
        return "unix:path=" + userBus;
      }
      throw AuthsomeException.vault("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): run inside a desktop"
          + " session or " + FIX);
    }
    // An address may list alternatives separated by ';': take the first one the JDK can open.
    for (String alternative : address.split(";")) {
      if (alternative.startsWith("unix:path=")) {
        return alternative;
      }
    }
    if (userBusExists) {
      return "unix:path=" + userBus;
    }
    throw AuthsomeException.vault("the D-Bus session bus address '" + address + "' uses only abstract sockets, which"
        + " Java cannot open: start the bus with a unix:path= address (dbus-daemon --address=unix:tmpdir=...), or "
        + FIX);
  }

  /**
   * Calls {@code member} and returns the reply's values. A D-Bus error becomes {@link DBusCallException} (callers turn
   * the known ones into clear messages); no answer within the deadline becomes VAULT_UNAVAILABLE.
   */
  Object[] call(String destination, String path, String iface, String member, String signature, Object... args) {
    Message reply;
    try {
      MethodCall call = new MethodCall(destination, path, iface, member, (byte) 0,
          signature.isEmpty() ? null : signature, args);
      connection.sendMessage(call);
      reply = call.getReply(timeout.toMillis());
    } catch (DBusException | RuntimeException e) {
      throw AuthsomeException.vault("D-Bus call " + iface + "." + member + " to " + destination + " failed ("
          + describe(e) + "): check the keyring service, or " + FIX, e);
    }
    if (reply == null) {
      throw AuthsomeException.vault("the Secret Service (" + destination + ") did not answer " + member + " within "
          + timeout.toSeconds() + " s: restart the keyring daemon (e.g. gnome-keyring-daemon --replace), or " + FIX);
    }
    if (reply instanceof Error error) {
      throw new DBusCallException(error.getName(), errorText(error));
    }
    try {
      Object[] values = reply.getParameters();
      return values == null ? new Object[0] : values;
    } catch (DBusException e) {
      throw AuthsomeException.vault("unreadable D-Bus reply to " + member + " (" + describe(e) + "): " + FIX, e);
    }
  }

  @Override
  public void close() {
    connection.disconnect();
  }

  private static String errorText(Error error) {
    try {
      Object[] values = error.getParameters();
      return values != null && values.length > 0 ? String.valueOf(values[0]) : error.getName();
    } catch (DBusException e) {
      return error.getName();
    }
  }

  static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip().lines().findFirst()
        .orElse(message);
  }

  /**
   * A D-Bus error reply: its name (e.g. {@code org.freedesktop.Secret.Error.IsLocked}) and text. Internal only: the
   * store turns every one into an {@link AuthsomeException} that says what to do, so none escapes this module.
   */
  static final class DBusCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String name;

    DBusCallException(String name, String text) {
      super(name + ": " + text, null, false, false);
      this.name = name;
    }

    String name() {
      return name;
    }
  }
}
