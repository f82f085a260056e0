/** The {@code postgres} vault backend; nothing here is API (the module exports no package). */
@NullMarked
package dev.authsome.vault.postgres;

import org.jspecify.annotations.NullMarked;
