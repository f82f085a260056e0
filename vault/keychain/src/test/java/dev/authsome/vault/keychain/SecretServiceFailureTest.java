package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way the Secret Service can be out of reach fails at once with VAULT_UNAVAILABLE naming the cause and the fix;
 * none falls back, none hangs (the timeouts only guard against a hang; they are not speed requirements).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecretServiceFailureTest {
  @TempDir Path home;
  @TempDir Path work;

  private Vault open(Map<String, String> environment) {
    return new KeychainVaultProvider().open(new VaultContext(home, environment, Map.of()));
  }

  @Test
  void noSessionBus_failsNamingTheUnsetVariableAndTheFileBackend() {
    assertThatThrownBy(() -> open(Map.of("PATH", "/usr/bin:/bin")))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
        .hasMessage("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): run inside a desktop session or use"
            + " --vault file, or set vault.backend: file in config.yaml");
  }

  @Test
  void sessionBusAddressOfADeadSocket_failsNamingTheAddress() {
    String address = "unix:path=" + work.resolve("no-such-bus");
    assertThatThrownBy(() -> open(Map.of("DBUS_SESSION_BUS_ADDRESS", address)))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
        .hasMessageStartingWith("cannot connect to the D-Bus session bus at " + address)
        .hasMessageContaining("use --vault file");
  }

  @Test
  void busWithoutSecretService_failsSayingNoSecretServiceAndWhatToInstall() throws Exception {
    try (PrivateBus bus = PrivateBus.start(work)) {
      assertThatThrownBy(() -> open(bus.environment()))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
          .hasMessageStartingWith("no Secret Service on the D-Bus session bus")
          .hasMessageContaining("install and start gnome-keyring");
    }
  }

  @Test
  void lockedKeyring_failsSayingLockedAndHowToUnlock_andTheItemsAreBackOnceUnlocked() throws Exception {
    Path keyrings = work.resolve("data");
    try (PrivateBus bus = PrivateBus.start(work)) {
      Process unlocked = bus.startKeyring(keyrings, "test-password");
      try (Vault vault = open(bus.environment())) {
        vault.put("profile:default:openai:connection:default", "{\"api_key\":\"sk-1\"}");
      }
      PrivateBus.stop(unlocked);

      Process locked = bus.startKeyring(keyrings, null);
      assertThatThrownBy(() -> open(bus.environment()))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE))
          .hasMessageStartingWith("the keyring 'Login' is locked: unlock it")
          .hasMessageContaining("use --vault file");
      PrivateBus.stop(locked);

      bus.startKeyring(keyrings, "test-password");
      try (Vault vault = open(bus.environment())) {
        assertThat(vault.get("profile:default:openai:connection:default")).contains("{\"api_key\":\"sk-1\"}");
      }
    }
  }
}
