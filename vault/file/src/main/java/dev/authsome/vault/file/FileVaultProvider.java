package dev.authsome.vault.file;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;
import java.nio.file.Path;

/**
 * The {@code file} backend: {@code $AUTHSOME_HOME/vault/records.N/}, one file per record, each sealed with AES-256-GCM
 * under a master key from {@code AUTHSOME_MASTER_KEY} or {@code vault/master.key}. Opening does no I/O; the first write of
 * a new home creates the folders and, unless the variable is set, the key file.
 */
public final class FileVaultProvider implements VaultProvider {

  /** The constructor ServiceLoader calls. */
  public FileVaultProvider() {
  }

  @Override
  public String id() {
    return "file";
  }

  @Override
  public String description() {
    return "encrypted file (AES-256-GCM) in the authsome home";
  }

  @Override
  public Vault open(VaultContext context) {
    requireNonNull(context, "context");
    Path vaultDir = context.home().resolve("vault");
    return new FileVault(vaultDir, MasterKeys.select(context, vaultDir.resolve("master.key")));
  }
}
