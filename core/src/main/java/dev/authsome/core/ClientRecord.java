package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth client a provider is used with: entered by the user, or registered dynamically. The provider's client
 * record is the default for new logins; each connection names the client its tokens were issued to
 * ({@link ConnectionRecord#clientId()}), which refreshes and revokes them, so a client stays stored while a
 * connection uses it even after another one becomes the default. {@code clientSecret} is a secret.
 *
 * @param scopes the scopes the client was registered with (dynamic registration); not a default for logins
 * @param source {@code user} (entered), {@code dcr} (dynamically registered), {@code plugin} (the provider plugin's
 *     public client)
 */
public record ClientRecord(
    int schemaVersion,
    String provider,
    String profile,
    @Nullable String clientId,
    @Nullable String clientSecret,
    @Nullable String baseUrl,
    List<String> scopes,
    @Nullable String source,
    @Nullable String registrationEndpoint,
    @Nullable Instant createdAt,
    Map<String, Object> metadata) {

  public ClientRecord {
    requireNonNull(provider, "provider");
    requireNonNull(profile, "profile");
    scopes = List.copyOf(scopes);
    metadata = Map.copyOf(metadata);
  }

  /** Every field, with {@code clientSecret} shown only as present or absent (see {@link ConnectionRecord#toString}). */
  @Override
  public String toString() {
    return "ClientRecord[schemaVersion=" + schemaVersion + ", provider=" + provider + ", profile=" + profile
        + ", clientId=" + clientId + ", clientSecret=" + ConnectionRecord.redacted(clientSecret) + ", baseUrl="
        + baseUrl + ", scopes=" + scopes + ", source=" + source + ", registrationEndpoint=" + registrationEndpoint
        + ", createdAt=" + createdAt + ", metadata=" + metadata.keySet() + "]";
  }
}
