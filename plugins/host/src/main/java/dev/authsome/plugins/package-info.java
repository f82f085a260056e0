/**
 * The plugin host API: {@link dev.authsome.plugins.PluginHost#open} gives the provider catalogue and the flow
 * registry over every installed plugin jar, plus the {@link dev.authsome.plugins.PluginProblem}s found on the way.
 */
@NullMarked
package dev.authsome.plugins;

import org.jspecify.annotations.NullMarked;
