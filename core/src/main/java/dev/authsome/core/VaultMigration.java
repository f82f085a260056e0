package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@code authsome vault migrate}: every record was copied to the new backend and checked, then
 * {@code config.yaml} was switched to it. The old backend's records are left where they were.
 *
 * @param from the backend the records came from
 * @param to the backend now configured
 * @param records how many records were copied and verified
 * @param source the old vault's description, where its records remain
 * @param target the new vault's description
 */
public record VaultMigration(String from, String to, int records, String source, String target) {
  public VaultMigration {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(source, "source");
    requireNonNull(target, "target");
  }
}
