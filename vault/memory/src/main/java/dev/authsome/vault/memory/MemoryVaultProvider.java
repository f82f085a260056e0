package dev.authsome.vault.memory;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;

/**
 * The {@code memory} backend: every {@link #open} starts an empty vault that lives only as long as it is open. For
 * tests and throw-away runs ({@code --vault memory}); never a configuration or migration target.
 */
public final class MemoryVaultProvider implements VaultProvider {

  /** The constructor ServiceLoader calls. */
  public MemoryVaultProvider() {
  }

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public String description() {
    return "in-process memory (forgotten when the command ends)";
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public Vault open(VaultContext context) {
    requireNonNull(context, "context");
    return new MemoryVault();
  }
}
