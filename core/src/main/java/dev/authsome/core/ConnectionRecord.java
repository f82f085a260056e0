package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One stored credential: a named connection of a provider. Serialised with the reference's snake_case field names
 * ({@code connection_name}, {@code access_token}, ...; schema version 2). {@code accessToken}, {@code refreshToken}
 * and {@code apiKey} are secrets: redacted in every output unless {@code --show-secret}.
 *
 * @param flow the flow that produced the record (used to refresh and revoke it)
 * @param apiUrls routing targets copied from the definition at login, with {@code {base_url}} resolved
 */
public record ConnectionRecord(
    int schemaVersion,
    String provider,
    String profile,
    String connectionName,
    AuthType authType,
    @Nullable String flow,
    ConnectionStatus status,
    @Nullable String baseUrl,
    List<String> apiUrls,
    List<String> scopes,
    @Nullable String accessToken,
    @Nullable String refreshToken,
    @Nullable String idToken,
    @Nullable String tokenType,
    @Nullable Instant expiresAt,
    @Nullable Instant obtainedAt,
    @Nullable String apiKey,
    Account account,
    Map<String, Object> metadata,
    @Nullable String clientId) {

  public static final int SCHEMA_VERSION = 3;

  /** The field names that hold secrets. */
  public static final List<String> SECRET_FIELDS = List.of("access_token", "refresh_token", "id_token", "api_key");

  public ConnectionRecord {
    requireNonNull(provider, "provider");
    requireNonNull(profile, "profile");
    requireNonNull(connectionName, "connectionName");
    requireNonNull(authType, "authType");
    requireNonNull(status, "status");
    requireNonNull(account, "account");
    apiUrls = List.copyOf(apiUrls);
    scopes = List.copyOf(scopes);
    metadata = Map.copyOf(metadata);
  }

  /** A record without a client reference (API keys; flows written before schema 3, whose client the engine fills). */
  public ConnectionRecord(int schemaVersion, String provider, String profile, String connectionName,
      AuthType authType, @Nullable String flow, ConnectionStatus status, @Nullable String baseUrl,
      List<String> apiUrls, List<String> scopes, @Nullable String accessToken, @Nullable String refreshToken,
      @Nullable String idToken, @Nullable String tokenType, @Nullable Instant expiresAt, @Nullable Instant obtainedAt,
      @Nullable String apiKey, Account account, Map<String, Object> metadata) {
    this(schemaVersion, provider, profile, connectionName, authType, flow, status, baseUrl, apiUrls, scopes,
        accessToken, refreshToken, idToken, tokenType, expiresAt, obtainedAt, apiKey, account, metadata, null);
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /** The account the credential belongs to, filled from an ID token or userinfo where the provider offers them. */
  public record Account(@Nullable String id, @Nullable String label) {
    public static final Account UNKNOWN = new Account(null, null);
  }

  /** A copy with another status. */
  public ConnectionRecord withStatus(ConnectionStatus newStatus) {
    return new ConnectionRecord(schemaVersion, provider, profile, connectionName, authType, flow, newStatus, baseUrl,
        apiUrls, scopes, accessToken, refreshToken, idToken, tokenType, expiresAt, obtainedAt, apiKey, account,
        metadata, clientId);
  }

  /** A copy naming the OAuth client the tokens were issued to. */
  public ConnectionRecord withClientId(@Nullable String newClientId) {
    return new ConnectionRecord(schemaVersion, provider, profile, connectionName, authType, flow, status, baseUrl,
        apiUrls, scopes, accessToken, refreshToken, idToken, tokenType, expiresAt, obtainedAt, apiKey, account,
        metadata, newClientId);
  }

  /**
   * Every field, with the secrets ({@code accessToken}, {@code refreshToken}, {@code idToken}, {@code apiKey}) shown
   * only as present or absent: a record that ends up in a log, an exception message or a debugger's output must not
   * carry a credential there.
   */
  @Override
  public String toString() {
    return "ConnectionRecord[schemaVersion=" + schemaVersion + ", provider=" + provider + ", profile=" + profile
        + ", connectionName=" + connectionName + ", authType=" + authType + ", flow=" + flow + ", status=" + status
        + ", baseUrl=" + baseUrl + ", apiUrls=" + apiUrls + ", scopes=" + scopes + ", accessToken="
        + redacted(accessToken) + ", refreshToken=" + redacted(refreshToken) + ", idToken=" + redacted(idToken)
        + ", tokenType=" + tokenType + ", expiresAt=" + expiresAt + ", obtainedAt=" + obtainedAt + ", apiKey="
        + redacted(apiKey) + ", account=" + account + ", metadata=" + metadata.keySet() + ", clientId=" + clientId
        + "]";
  }

  static String redacted(@Nullable String secret) {
    return secret == null ? "null" : "***REDACTED***";
  }
}
