package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a login.
 *
 * @param replaced whether an existing connection was replaced ({@code --force})
 */
public record LoginResult(String provider, String connection, String flow, ConnectionStatus recordStatus,
    boolean replaced) {
  public LoginResult {
    requireNonNull(provider, "provider");
    requireNonNull(connection, "connection");
    requireNonNull(flow, "flow");
    requireNonNull(recordStatus, "recordStatus");
  }
}
