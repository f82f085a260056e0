/** The {@code api_key} flow plugin: asks for one secret and stores it as the connection's API key. */
@NullMarked
package dev.authsome.flows.apikey;

import org.jspecify.annotations.NullMarked;
