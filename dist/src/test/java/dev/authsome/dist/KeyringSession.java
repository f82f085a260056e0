package dev.authsome.dist;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A desktop-like keyring of the test's own: a private D-Bus session bus (dbus-daemon on a socket in a temporary
 * folder) with a gnome-keyring-daemon on it, which the test can kill, restart unlocked, or restart locked, without
 * touching the keyring of the session the build runs in. Skips (reason printed) when the tools are missing, unless
 * {@code AUTHSOME_TEST_REQUIRE_ALL=1}.
 */
final class KeyringSession implements AutoCloseable {
  static final String PASSWORD = "e2e-keyring-password";

  private final Path dir;
  private final Process bus;
  private final String address;
  private final List<Process> keyrings = new ArrayList<>();
  private Process keyring;

  static void assumeTools() {
    List<String> missing = new ArrayList<>();
    for (String tool : List.of("dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool")) {
      if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
        missing.add(tool);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String reason = "a real Secret Service needs " + String.join(", ", missing)
        + " (Debian: dbus-daemon gnome-keyring libsecret-tools)";
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      fail(reason);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  private KeyringSession(Path dir, Process bus, String address) {
    this.dir = dir;
    this.bus = bus;
    this.address = address;
  }

  /** Starts the bus and an unlocked keyring (creating its login keyring with {@link #PASSWORD}). */
  static KeyringSession start(Path dir) throws Exception {
    assumeTools();
    Files.createDirectories(dir.resolve("socket"));
    Path config = dir.resolve("bus.conf");
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
    Process bus = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--print-address=1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    if (address == null) {
      bus.destroyForcibly();
      throw new IllegalStateException("dbus-daemon printed no address");
    }
    KeyringSession session = new KeyringSession(dir, bus, address.trim());
    session.startKeyring(true);
    return session;
  }

  /** What a client of this session needs: the bus address, and no systemd user bus to wander off to. */
  Map<String, String> environment() {
    return Map.of("DBUS_SESSION_BUS_ADDRESS", address, "XDG_RUNTIME_DIR", "");
  }

  /** Starts gnome-keyring-daemon on this bus, unlocked with {@link #PASSWORD} or left locked. */
  void startKeyring(boolean unlocked) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve(".cache"));
    Files.createDirectories(data.resolve("config"));
    List<String> command = new ArrayList<>(List.of("gnome-keyring-daemon", "--foreground", "--components=secrets"));
    if (unlocked) {
      command.add("--unlock");
    }
    Path log = dir.resolve("keyring-" + keyrings.size() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment());
    builder.environment().put("XDG_DATA_HOME", data.toString());
    builder.environment().put("XDG_CONFIG_HOME", data.resolve("config").toString());
    keyring = builder.start();
    keyrings.add(keyring);
    if (unlocked) {
      keyring.getOutputStream().write(PASSWORD.getBytes(StandardCharsets.UTF_8));
    }
    keyring.getOutputStream().close();
    for (int i = 0; i < 200; i++) {
      if (run("dbus-send", "--bus=" + address, "--print-reply", "--dest=org.freedesktop.DBus",
          "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")
          .contains("boolean true")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gnome-keyring-daemon did not come up on the private bus: " + Files.readString(log));
  }

  /** Kills the keyring daemon outright, as a crash or a logout would. */
  void killKeyring() throws InterruptedException {
    keyring.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
  }

  /** Runs {@code secret-tool} (or any tool) on this session and returns its output. */
  String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return out;
  }

  /** Stores {@code secret} with the given attributes through secret-tool, as another program would. */
  void store(String secret, String... attributes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("secret-tool", "store", "--label=test"));
    command.addAll(List.of(attributes));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment());
    Process process = builder.start();
    process.getOutputStream().write(secret.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("secret-tool store failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : keyrings) {
      p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    bus.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
  }
}
