package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints of one provider's authorization server: from its definition, completed by metadata discovery.
 *
 * @param provider the provider name, for messages
 * @param issuer the issuer, when known (definition or discovery); used to check RFC 9207 {@code iss}
 * @param issParameterSupported the server advertises RFC 9207 {@code iss} in authorization responses
 * @param tokenEndpointAuthMethods what the server's metadata lists (empty when it lists none); without metadata,
 *     {@code client_secret_post}, the reference tool's default
 */
public record ServerEndpoints(
    String provider,
    Optional<Issuer> issuer,
    Optional<URI> authorization,
    Optional<URI> token,
    Optional<URI> revocation,
    Optional<URI> deviceAuthorization,
    Optional<URI> registration,
    Optional<URI> userinfo,
    boolean issParameterSupported,
    List<ClientAuthenticationMethod> tokenEndpointAuthMethods) {

  public ServerEndpoints {
    requireNonNull(provider, "provider");
    tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
  }

  /** Which endpoint a flow needs. */
  public enum Endpoint {
    AUTHORIZATION("authorization_url"),
    TOKEN("token_url"),
    REVOCATION("revocation_url"),
    DEVICE_AUTHORIZATION("device_authorization_url"),
    REGISTRATION("registration_endpoint"),
    USERINFO("userinfo_url");

    private final String field;

    Endpoint(String field) {
      this.field = field;
    }

    /** The definition field that sets it ({@code oauth.token_url}, ...). */
    public String field() {
      return field;
    }
  }

  /** The endpoint, if known. */
  public Optional<URI> get(Endpoint endpoint) {
    return switch (endpoint) {
      case AUTHORIZATION -> authorization;
      case TOKEN -> token;
      case REVOCATION -> revocation;
      case DEVICE_AUTHORIZATION -> deviceAuthorization;
      case REGISTRATION -> registration;
      case USERINFO -> userinfo;
    };
  }

  /** The endpoint, or an {@link ErrorCode#INVALID_PROVIDER} error naming the definition field to set. */
  public URI require(Endpoint endpoint) {
    return get(endpoint).orElseThrow(() -> new AuthsomeException(ErrorCode.INVALID_PROVIDER,
        "provider '" + provider + "' has no " + endpoint.field() + " and discovery did not find one; set oauth."
            + endpoint.field() + " (or oauth.issuer for discovery) in the provider definition"));
  }
}
