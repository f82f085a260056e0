/** The picocli commands, one class per command; each calls the engine and renders its result. */
@NullMarked
package dev.authsome.shell.command;

import org.jspecify.annotations.NullMarked;
