package dev.authsome.vault.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.VaultBackends;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.vault.tck.VaultContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryVaultTest extends VaultContract {

  @Override
  protected Vault openVault(Path home) {
    return new MemoryVaultProvider().open(new VaultContext(home, Map.of(), Map.of()));
  }

  @Override
  protected boolean persistent() {
    return false;
  }

  @Test
  void serviceLoader_findsTheBackendAsMemory_notPersistent() {
    var provider = VaultBackends.find("memory");

    assertThat(provider).isInstanceOf(MemoryVaultProvider.class);
    assertThat(provider.persistent()).isFalse();
    assertThat(VaultBackends.available()).contains("memory");
  }
}
