package dev.authsome.vault.keychain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this test run has a Secret Service to talk to (a session bus and {@code secret-tool}, as {@code .ci/run}
 * provides inside dbus-run-session). Without one, keychain tests skip with the reason printed, unless
 * {@code AUTHSOME_TEST_REQUIRE_ALL=1}, when they fail.
 */
final class SecretServiceEnvironment {
  private SecretServiceEnvironment() {}

  static void require() {
    String reason = missing();
    if (reason == null) {
      return;
    }
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL"))) {
      throw new AssertionError("AUTHSOME_TEST_REQUIRE_ALL=1 but " + reason);
    }
    System.err.println("SKIPPED (keychain): " + reason);
    Assumptions.abort(reason);
  }

  private static String missing() {
    String bus = System.getenv("DBUS_SESSION_BUS_ADDRESS");
    if (bus == null || bus.isBlank()) {
      return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset); run inside dbus-run-session with an unlocked"
          + " gnome-keyring, as .ci/run does";
    }
    if (!Files.isExecutable(Path.of("/usr/bin/secret-tool"))) {
      return "secret-tool (libsecret-tools) is not installed";
    }
    try {
      Process probe = new ProcessBuilder("secret-tool", "search", "--all", "service", "authsome-probe")
          .redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      if (!probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return "the Secret Service does not answer (secret-tool search timed out)";
      }
      // secret-tool search exits 1 when nothing matches, and also when the keyring is locked; a store proves it works
      Process store = new ProcessBuilder("secret-tool", "store", "--label=authsome probe", "service",
          "authsome-probe").start();
      store.getOutputStream().write("probe".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      store.getOutputStream().close();
      if (!store.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || store.exitValue() != 0) {
        store.destroyForcibly();
        return "the Secret Service cannot store a secret (locked keyring or no gnome-keyring-daemon)";
      }
      new ProcessBuilder("secret-tool", "clear", "service", "authsome-probe").start().waitFor();
      return null;
    } catch (java.io.IOException e) {
      return "cannot run secret-tool: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The real process environment, as the engine passes it to backends. */
  static Map<String, String> environment() {
    return new HashMap<>(System.getenv());
  }
}
