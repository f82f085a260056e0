package dev.authsome.vault.keychain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private D-Bus session bus (a real dbus-daemon on a socket in a temporary folder) with no activatable services, on
 * which a test may start its own gnome-keyring-daemon, locked or unlocked.
 */
final class PrivateBus implements AutoCloseable {
  private final Process daemon;
  private final String address;
  private final Path dir;
  private final List<Process> keyrings = new ArrayList<>();

  private PrivateBus(Process daemon, String address, Path dir) {
    this.daemon = daemon;
    this.address = address;
    this.dir = dir;
  }

  static PrivateBus start(Path dir) throws IOException {
    requireTool("/usr/bin/dbus-daemon", "dbus-daemon (package dbus-daemon)");
    Path config = dir.resolve("bus.conf");
    Files.createDirectories(dir.resolve("socket"));
    Files.writeString(config, """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>session</type>
          <listen>unix:dir=%s</listen>
          <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
            <allow own="*"/></policy>
        </busconfig>
        """.formatted(dir.resolve("socket")));
    Process daemon = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    if (address == null) {
      daemon.destroyForcibly();
      throw new IllegalStateException("dbus-daemon printed no address");
    }
    return new PrivateBus(daemon, address.trim(), dir);
  }

  String address() {
    return address;
  }

  /** The environment a client on this bus gets: only the bus address (and no systemd user bus to fall back to). */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("DBUS_SESSION_BUS_ADDRESS", address);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    return env;
  }

  /**
   * Starts gnome-keyring-daemon (secrets only) on this bus with its keyrings in {@code dataHome}; {@code password}
   * unlocks (or creates) the login keyring, {@code null} leaves it locked.
   */
  Process startKeyring(Path dataHome, String password) throws IOException, InterruptedException {
    requireTool("/usr/bin/gnome-keyring-daemon", "gnome-keyring");
    List<String> command = new ArrayList<>(List.of("gnome-keyring-daemon", "--foreground", "--components=secrets"));
    if (password != null) {
      command.add("--unlock");
    }
    Files.createDirectories(dataHome.resolve(".cache"));
    Files.createDirectories(dataHome.resolve("config"));
    Path log = dir.resolve("keyring-" + keyrings.size() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment());
    builder.environment().put("XDG_DATA_HOME", dataHome.toString());
    builder.environment().put("XDG_CONFIG_HOME", dataHome.resolve("config").toString());
    builder.environment().put("HOME", dataHome.toString());
    Process keyring = builder.start();
    keyrings.add(keyring);
    if (password != null) {
      keyring.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
    }
    keyring.getOutputStream().close();
    try {
      waitForName(SecretServiceStore.BUS_NAME);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "; gnome-keyring-daemon "
          + (keyring.isAlive() ? "is running" : "exited with " + keyring.exitValue()) + ", its output: "
          + Files.readString(log), e);
    }
    return keyring;
  }

  /** Waits (at most 20 s) until {@code name} has an owner on this bus. */
  void waitForName(String name) throws IOException, InterruptedException {
    for (int i = 0; i < 200; i++) {
      Process check = new ProcessBuilder("dbus-send", "--bus=" + address, "--print-reply", "--dest=org.freedesktop.DBus",
          "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:" + name)
          .redirectErrorStream(true).start();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check.waitFor(10, TimeUnit.SECONDS);
      if (out.contains("boolean true")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not appear on the private bus within 20 s");
  }

  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void requireTool(String path, String what) {
    if (Files.isExecutable(Path.of(path))) {
      return;
    }
    String reason = what + " is not installed";
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      throw new AssertionError("AUTHSOME_TEST_REQUIRE_ALL=1 but " + reason);
    }
    System.err.println("SKIPPED (keychain): " + reason);
    Assumptions.abort(reason);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process keyring : keyrings) {
      stop(keyring);
    }
    stop(daemon);
  }
}
