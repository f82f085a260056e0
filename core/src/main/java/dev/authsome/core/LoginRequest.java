package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code authsome login} asks for.
 *
 * @param provider the provider name
 * @param connection the connection name; null means the provider's default connection
 * @param flow the flow id; null means the definition's flow
 * @param scopes requested scopes, for this connection only; empty means the definition's
 * @param baseUrl the enterprise / tenant base URL for {@code {base_url}} templates
 * @param force replace an existing connection (revoking its old token at the provider first)
 * @param options flow options ({@code client_id}, {@code no_browser}, ...), passed to the flow unchanged
 * @param timeout how long to wait for the user; null means the configured login timeout
 */
public record LoginRequest(
    String provider,
    @Nullable String connection,
    @Nullable String flow,
    List<String> scopes,
    @Nullable String baseUrl,
    boolean force,
    Map<String, String> options,
    @Nullable Duration timeout) {

  public LoginRequest {
    requireNonNull(provider, "provider");
    scopes = List.copyOf(scopes);
    options = Map.copyOf(options);
  }

  /** A plain login of the default connection with the definition's flow. */
  public static LoginRequest of(String provider) {
    return new LoginRequest(provider, null, null, List.of(), null, false, Map.of(), null);
  }

  public LoginRequest withConnection(@Nullable String name) {
    return new LoginRequest(provider, name, flow, scopes, baseUrl, force, options, timeout);
  }

  public LoginRequest withForce(boolean replace) {
    return new LoginRequest(provider, connection, flow, scopes, baseUrl, replace, options, timeout);
  }

  public Optional<String> connectionName() {
    return Optional.ofNullable(connection);
  }
}
