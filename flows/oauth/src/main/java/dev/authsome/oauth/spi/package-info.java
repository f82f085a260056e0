/**
 * The provider quirks SPI: {@link dev.authsome.oauth.spi.OAuthQuirks}, implemented by provider plugin jars for
 * providers that bend the standard. Exported to everyone, because PF4J loads plugins into unnamed modules.
 */
@NullMarked
package dev.authsome.oauth.spi;

import org.jspecify.annotations.NullMarked;
