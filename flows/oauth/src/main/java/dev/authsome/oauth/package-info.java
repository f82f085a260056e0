/**
 * OAuth 2.0 building blocks for flow plugins. Start with {@link dev.authsome.oauth.OAuthSettings#from} (what the
 * command line and environment say), {@link dev.authsome.oauth.Discovery} (endpoints),
 * {@link dev.authsome.oauth.OAuthClients} (which client, which client authentication),
 * {@link dev.authsome.oauth.AuthorizationCodeLogin} (PKCE through the loopback server),
 * {@link dev.authsome.oauth.TokenEndpoint} (token requests) and {@link dev.authsome.oauth.Tokens} (refresh, revoke,
 * account). {@link dev.authsome.oauth.BrowserFormCollector} is the browser form the shell offers as an input source.
 */
@NullMarked
package dev.authsome.oauth;

import org.jspecify.annotations.NullMarked;
