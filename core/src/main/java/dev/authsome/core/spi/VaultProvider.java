package dev.authsome.core.spi;

/**
 * A vault backend, found with {@link java.util.ServiceLoader} ({@code provides VaultProvider with ...} plus
 * {@code META-INF/services}). Every implementation must pass the contract test kit ({@code authsome-vault-tck}).
 */
public interface VaultProvider {

  /** The name users select the backend by: {@code file}, {@code memory}, {@code keychain}. */
  String id();

  /** A short human description for listings. */
  default String description() {
    return id();
  }

  /** Whether this backend may be named in {@code config.yaml} or be a migration target ({@code memory} may not). */
  default boolean persistent() {
    return true;
  }

  /** Opens (creating when absent) the vault of the given home. */
  Vault open(VaultContext context);
}
