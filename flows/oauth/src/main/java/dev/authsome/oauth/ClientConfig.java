package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Token;
import dev.authsome.core.Secret;
import java.net.URI;
import java.util.Optional;

/**
 * The OAuth client a request is made as, and how it authenticates at the token endpoint ({@code client_secret_basic},
 * {@code client_secret_post} or {@code none}). Builds the Nimbus requests that carry client authentication.
 */
public record ClientConfig(String clientId, Optional<Secret> clientSecret, ClientAuthenticationMethod method) {

  public ClientConfig {
    requireNonNull(clientId, "clientId");
    requireNonNull(clientSecret, "clientSecret");
    requireNonNull(method, "method");
    if (!method.equals(ClientAuthenticationMethod.NONE) && clientSecret.isEmpty()) {
      method = ClientAuthenticationMethod.NONE;
    }
  }

  /** A public client (no secret). */
  public static ClientConfig publicClient(String clientId) {
    return new ClientConfig(clientId, Optional.empty(), ClientAuthenticationMethod.NONE);
  }

  public ClientID id() {
    return new ClientID(clientId);
  }

  /** The client authentication to attach, empty for a public client (which sends only {@code client_id}). */
  public Optional<ClientAuthentication> authentication() {
    if (clientSecret.isEmpty() || method.equals(ClientAuthenticationMethod.NONE)) {
      return Optional.empty();
    }
    com.nimbusds.oauth2.sdk.auth.Secret secret = new com.nimbusds.oauth2.sdk.auth.Secret(clientSecret.get().reveal());
    if (method.equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      return Optional.of(new ClientSecretPost(id(), secret));
    }
    return Optional.of(new ClientSecretBasic(id(), secret));
  }

  /** A token request builder for {@code grant}, authenticated as this client. */
  public TokenRequest.Builder tokenRequest(URI endpoint, AuthorizationGrant grant) {
    return authentication()
        .map(auth -> new TokenRequest.Builder(endpoint, auth, grant))
        .orElseGet(() -> new TokenRequest.Builder(endpoint, id(), grant));
  }

  /** An RFC 7009 revocation request for {@code token}, authenticated as this client. */
  public TokenRevocationRequest revocationRequest(URI endpoint, Token token) {
    return authentication()
        .map(auth -> new TokenRevocationRequest(endpoint, auth, token))
        .orElseGet(() -> new TokenRevocationRequest(endpoint, id(), token));
  }

  /** An RFC 8628 device authorization request builder, authenticated as this client. */
  public DeviceAuthorizationRequest.Builder deviceAuthorizationRequest(URI endpoint) {
    DeviceAuthorizationRequest.Builder builder = authentication()
        .map(DeviceAuthorizationRequest.Builder::new)
        .orElseGet(() -> new DeviceAuthorizationRequest.Builder(id()));
    return builder.endpointURI(endpoint);
  }

  @Override
  public String toString() {
    return "ClientConfig[clientId=" + clientId + ", secret=" + (clientSecret.isPresent() ? "***" : "none")
        + ", method=" + method + "]";
  }
}
