/** The in-process vault backend {@code memory}: found through ServiceLoader, exports nothing. */
module dev.authsome.vault.memory {
  requires static org.jspecify;
  requires dev.authsome.core;

  provides dev.authsome.core.spi.VaultProvider with dev.authsome.vault.memory.MemoryVaultProvider;
}
