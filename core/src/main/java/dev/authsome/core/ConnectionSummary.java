package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A connection as {@code list} and {@code inspect} show it: no secrets.
 *
 * @param status the effective status: {@code connected}, {@code expiring} (within the refresh margin),
 *     {@code expired} (past its expiry), or the stored status
 * @param isDefault whether it is the provider's default connection
 */
public record ConnectionSummary(
    String connectionName,
    AuthType authType,
    String status,
    List<String> scopes,
    @Nullable Instant expiresAt,
    ConnectionRecord.Account account,
    boolean isDefault,
    @Nullable String baseUrl,
    List<String> apiUrls,
    @Nullable String flow) {

  public ConnectionSummary {
    requireNonNull(connectionName, "connectionName");
    requireNonNull(authType, "authType");
    requireNonNull(status, "status");
    requireNonNull(account, "account");
    scopes = List.copyOf(scopes);
    apiUrls = List.copyOf(apiUrls);
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /** Whether the credential can be used now (connected or expiring, not expired). */
  public boolean active() {
    return status.equals("connected") || status.equals("expiring");
  }
}
