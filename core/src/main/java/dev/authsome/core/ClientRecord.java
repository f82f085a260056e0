package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The OAuth client a provider is used with: entered by the user once, or registered dynamically. One per provider;
 * reused by later logins, refreshes and revocations. {@code clientSecret} is a secret.
 *
 * @param source {@code user} (entered), {@code dcr} (dynamically registered)
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
}
