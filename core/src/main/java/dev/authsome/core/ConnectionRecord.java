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
    return toBuilder().status(newStatus).build();
  }

  /** A copy naming the OAuth client the tokens were issued to. */
  public ConnectionRecord withClientId(@Nullable String newClientId) {
    return toBuilder().clientId(newClientId).build();
  }

  /**
   * This record renewed with the tokens of {@code fresh} (what a refresh returned), the one rule for merging them:
   * connected again; the new access token, expiry and token type; a refresh token or ID token the server did not
   * rotate is kept, as are the scopes when it named none; obtained {@code now} unless {@code fresh} says when.
   * Everything else (provider, connection, client, account, ...) stays this record's.
   */
  public ConnectionRecord renewedWith(ConnectionRecord fresh, Instant now) {
    requireNonNull(fresh, "fresh");
    requireNonNull(now, "now");
    return toBuilder().status(ConnectionStatus.CONNECTED)
        .scopes(fresh.scopes().isEmpty() ? scopes : fresh.scopes())
        .accessToken(fresh.accessToken())
        .refreshToken(fresh.refreshToken() != null ? fresh.refreshToken() : refreshToken)
        .idToken(fresh.idToken() != null ? fresh.idToken() : idToken)
        .tokenType(fresh.tokenType() != null ? fresh.tokenType() : tokenType)
        .expiresAt(fresh.expiresAt())
        .obtainedAt(fresh.obtainedAt() != null ? fresh.obtainedAt() : now)
        .build();
  }

  /** A builder holding this record's fields: the way to derive a changed copy without restating the other 18. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a changed copy of a record ({@link #toBuilder}); each setter replaces one field. */
  public static final class Builder {
    private int schemaVersion;
    private String provider;
    private String profile;
    private String connectionName;
    private AuthType authType;
    private @Nullable String flow;
    private ConnectionStatus status;
    private @Nullable String baseUrl;
    private List<String> apiUrls;
    private List<String> scopes;
    private @Nullable String accessToken;
    private @Nullable String refreshToken;
    private @Nullable String idToken;
    private @Nullable String tokenType;
    private @Nullable Instant expiresAt;
    private @Nullable Instant obtainedAt;
    private @Nullable String apiKey;
    private Account account;
    private Map<String, Object> metadata;
    private @Nullable String clientId;

    private Builder(ConnectionRecord r) {
      schemaVersion = r.schemaVersion;
      provider = r.provider;
      profile = r.profile;
      connectionName = r.connectionName;
      authType = r.authType;
      flow = r.flow;
      status = r.status;
      baseUrl = r.baseUrl;
      apiUrls = r.apiUrls;
      scopes = r.scopes;
      accessToken = r.accessToken;
      refreshToken = r.refreshToken;
      idToken = r.idToken;
      tokenType = r.tokenType;
      expiresAt = r.expiresAt;
      obtainedAt = r.obtainedAt;
      apiKey = r.apiKey;
      account = r.account;
      metadata = r.metadata;
      clientId = r.clientId;
    }

    public Builder schemaVersion(int v) {
      schemaVersion = v;
      return this;
    }

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder profile(String v) {
      profile = v;
      return this;
    }

    public Builder connectionName(String v) {
      connectionName = v;
      return this;
    }

    public Builder authType(AuthType v) {
      authType = v;
      return this;
    }

    public Builder flow(@Nullable String v) {
      flow = v;
      return this;
    }

    public Builder status(ConnectionStatus v) {
      status = v;
      return this;
    }

    public Builder baseUrl(@Nullable String v) {
      baseUrl = v;
      return this;
    }

    public Builder apiUrls(List<String> v) {
      apiUrls = v;
      return this;
    }

    public Builder scopes(List<String> v) {
      scopes = v;
      return this;
    }

    public Builder accessToken(@Nullable String v) {
      accessToken = v;
      return this;
    }

    public Builder refreshToken(@Nullable String v) {
      refreshToken = v;
      return this;
    }

    public Builder idToken(@Nullable String v) {
      idToken = v;
      return this;
    }

    public Builder tokenType(@Nullable String v) {
      tokenType = v;
      return this;
    }

    public Builder expiresAt(@Nullable Instant v) {
      expiresAt = v;
      return this;
    }

    public Builder obtainedAt(@Nullable Instant v) {
      obtainedAt = v;
      return this;
    }

    public Builder apiKey(@Nullable String v) {
      apiKey = v;
      return this;
    }

    public Builder account(Account v) {
      account = v;
      return this;
    }

    public Builder metadata(Map<String, Object> v) {
      metadata = v;
      return this;
    }

    public Builder clientId(@Nullable String v) {
      clientId = v;
      return this;
    }

    public ConnectionRecord build() {
      return new ConnectionRecord(schemaVersion, provider, profile, connectionName, authType, flow, status, baseUrl,
          apiUrls, scopes, accessToken, refreshToken, idToken, tokenType, expiresAt, obtainedAt, apiKey, account,
          metadata, clientId);
    }
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
