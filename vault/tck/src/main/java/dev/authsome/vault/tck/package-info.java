/**
 * The vault contract test kit. A backend's test extends {@link dev.authsome.vault.tck.VaultContract} and implements
 * how to open (and, where possible, damage) its vault; the kit checks everything the engine relies on.
 */
@NullMarked
package dev.authsome.vault.tck;

import org.jspecify.annotations.NullMarked;
