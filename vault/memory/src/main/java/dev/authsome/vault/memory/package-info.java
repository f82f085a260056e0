/** The {@code memory} vault backend: records live in one process and are gone when it ends. */
@NullMarked
package dev.authsome.vault.memory;

import org.jspecify.annotations.NullMarked;
