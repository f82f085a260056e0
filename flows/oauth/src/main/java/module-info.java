/**
 * The OAuth 2.0 library shared by authsome's OAuth flow plugins: every protocol message is built and parsed by the
 * Nimbus OAuth 2.0 SDK; this module adds endpoint discovery, client authentication, the loopback callback server and
 * browser form on 127.0.0.1, the browser opener, proxy selection from the environment, and the provider quirks SPI.
 *
 * <p>It lives in the application's {@code lib/}; flow plugins use it as a {@code provided} dependency and see it
 * through PF4J's parent class loader.
 */
module dev.authsome.oauth {
  requires static org.jspecify;
  requires transitive dev.authsome.core;
  // Nimbus has no module descriptor: its automatic module name comes from the file name.
  requires transitive oauth2.oidc.sdk;
  // An explicit module that the automatic Nimbus module needs but cannot itself cause to be resolved.
  requires com.nimbusds.jose.jwt;
  // Automatic modules (names from their file names) whose types appear in Nimbus's API: JSON objects and content
  // types. Maven puts jars a module does not name on the class path, so they are named here.
  requires json.smart;
  requires content.type;
  requires jdk.httpserver;

  exports dev.authsome.oauth;
  exports dev.authsome.oauth.spi;
}
