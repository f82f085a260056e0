/**
 * The authsome domain: provider definitions, connection and client records, and the error root
 * {@link dev.authsome.core.AuthsomeException} whose {@link dev.authsome.core.ErrorCode} maps to an exit code.
 */
@NullMarked
package dev.authsome.core;

import org.jspecify.annotations.NullMarked;
