/** The authsome command line: main class, output, error mapping and input collectors. */
@NullMarked
package dev.authsome.shell;

import org.jspecify.annotations.NullMarked;
