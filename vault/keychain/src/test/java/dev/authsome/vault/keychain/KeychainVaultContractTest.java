package dev.authsome.vault.keychain;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.vault.tck.VaultContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/** The vault contract kit, run against the real Secret Service of this session (gnome-keyring in CI). */
class KeychainVaultContractTest extends VaultContract {

  @BeforeEach
  void requireSecretService() {
    SecretServiceEnvironment.require();
  }

  @Override
  protected Vault openVault(Path home) {
    return new KeychainVaultProvider().open(new VaultContext(home, SecretServiceEnvironment.environment(), Map.of()));
  }

  /** A stray edit of the item outside authsome: secret-tool replaces its secret with a broken blob reference. */
  @Override
  protected void damageRecord(Path home, String key) throws Exception {
    String vaultId = Files.readString(home.resolve("vault-id")).trim();
    Process store = new ProcessBuilder("secret-tool", "store", "--label=damaged", "service", "authsome",
        "account", key, "vault", vaultId).start();
    store.getOutputStream().write((BlobFiles.MARKER + "not-a-reference").getBytes(StandardCharsets.UTF_8));
    store.getOutputStream().close();
    if (!store.waitFor(20, TimeUnit.SECONDS) || store.exitValue() != 0) {
      throw new IllegalStateException("secret-tool store failed: "
          + new String(store.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
