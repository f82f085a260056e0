/**
 * The interactive {@code authsome>} shell (JLine) and command-line completion ({@code authsome completion},
 * {@code authsome __complete}). Only {@link dev.authsome.shell.interactive.Shell} and the classes it uses touch JLine,
 * so short commands never load it.
 */
@NullMarked
package dev.authsome.shell.interactive;

import org.jspecify.annotations.NullMarked;
