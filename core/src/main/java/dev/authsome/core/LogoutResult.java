package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a logout.
 *
 * @param connection the connection name (the default connection when none was given)
 * @param existed false when there was nothing to log out of (not an error)
 */
public record LogoutResult(String provider, String connection, boolean existed) {
  public LogoutResult {
    requireNonNull(provider, "provider");
    requireNonNull(connection, "connection");
  }
}
