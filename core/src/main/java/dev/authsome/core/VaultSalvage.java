package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@code authsome vault salvage} did: every record that still opened was copied into a fresh vault, and the
 * damaged vault file was kept aside.
 *
 * @param kept the keys of the records copied into the fresh vault
 * @param lost the keys of the records that did not open (damaged, swapped or cut off), now only in {@code damagedCopy}
 * @param damagedCopy where the damaged file was kept (0600), or empty when the vault was not damaged and nothing
 *     changed
 * @param vault the vault's description
 */
public record VaultSalvage(List<String> kept, List<String> lost, String damagedCopy, String vault) {
  public VaultSalvage {
    kept = List.copyOf(requireNonNull(kept, "kept"));
    lost = List.copyOf(requireNonNull(lost, "lost"));
    requireNonNull(damagedCopy, "damagedCopy");
    requireNonNull(vault, "vault");
  }

  /** Whether the vault was damaged (and so was replaced by a fresh one). */
  public boolean salvaged() {
    return !damagedCopy.isEmpty();
  }
}
