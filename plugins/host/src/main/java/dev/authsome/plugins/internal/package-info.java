/** The plugin host's implementation: jar scanning, the index, PF4J glue. Not exported. */
@NullMarked
package dev.authsome.plugins.internal;

import org.jspecify.annotations.NullMarked;
