package dev.authsome.oauth;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which OAuth client a flow uses: the stored client record the engine passes (the one {@code --client-id} names, else
 * the provider's default), else {@code --client-id} plus whatever the input collector obtains (client id, client
 * secret, and this login's scopes), which then becomes a new client record.
 */
public final class OAuthClients {
  private OAuthClients() {
  }

  /** Whether a client secret is needed. */
  public enum SecretNeed {
    /** Public clients are fine (PKCE, device code). */
    OPTIONAL,
    /** Confidential clients only (client credentials). */
    REQUIRED
  }

  /**
   * A resolved client.
   *
   * @param config the client and its authentication
   * @param scopes the scopes to request
   * @param newRecord the client record to store, when the client was entered now
   */
  public record Resolved(ClientConfig config, List<String> scopes, Optional<ClientRecord> newRecord) {
    public Resolved {
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * Resolves the client of a login, asking {@link FlowContext#input()} for what is missing.
   *
   * @param redirectUri shown in the form as the redirect URI to register, for flows that use one
   */
  public static Resolved resolve(FlowContext context, ServerEndpoints endpoints, SecretNeed need,
      Optional<URI> redirectUri) {
    ProviderDefinition provider = context.provider();
    Optional<String> flagged = context.option("client_id").filter(s -> !s.isBlank()).map(String::trim);
    // --client-id naming another client than the stored one replaces it (and asks for that client's secret).
    Optional<ClientRecord> stored = context.client().filter(c -> c.clientId() != null)
        .filter(c -> flagged.isEmpty() || flagged.get().equals(c.clientId()));
    if (stored.isPresent() && (need == SecretNeed.OPTIONAL || stored.get().clientSecret() != null)) {
      ClientRecord record = stored.get();
      return new Resolved(config(provider, endpoints, record.clientId(), record.clientSecret()), context.scopes(),
          Optional.empty());
    }
    Optional<String> clientId = flagged.or(() -> stored.map(ClientRecord::clientId));
    Optional<String> builtIn = context.providerExtension(OAuthQuirks.class).flatMap(OAuthQuirks::publicClientId);
    if (clientId.isEmpty() && builtIn.isPresent() && need == SecretNeed.OPTIONAL) {
      // the provider plugin says no registered client is needed: ask for nothing
      ClientRecord record = new ClientRecord(1, provider.name(), context.profile(), builtIn.get(), null,
          context.baseUrl().orElse(null), List.of(), "plugin", null, context.clock().instant(), Map.of());
      return new Resolved(config(provider, endpoints, builtIn.get(), null), context.scopes(), Optional.of(record));
    }
    List<InputField> fields = new ArrayList<>();
    redirectUri.ifPresent(uri -> fields.add(InputField.hint("redirect_uri",
        "Redirect URI (register it with " + provider.displayName() + ")", uri.toString())));
    if (clientId.isEmpty()) {
      fields.add(InputField.text("client_id", "Client ID", true, null));
    }
    fields.add(InputField.secret("client_secret",
        need == SecretNeed.REQUIRED ? "Client secret" : "Client secret (optional for public clients)",
        need == SecretNeed.REQUIRED));
    fields.add(InputField.text("scopes", "Scopes (space or comma separated)", false,
        String.join(" ", context.scopes())));
    Map<String, Secret> values = context.input().collect(new InputRequest(provider.name(),
        provider.displayName() + " OAuth client", provider.docsUrl(), fields));
    String id = clientId.orElseGet(() -> value(values, "client_id"));
    if (id == null || id.isBlank()) {
      throw AuthsomeException.usage("no client id for " + provider.name() + "; pass --client-id ID (and the client "
          + "secret on --stdin)");
    }
    String secret = value(values, "client_secret");
    if (need == SecretNeed.REQUIRED && (secret == null || secret.isEmpty())) {
      throw AuthsomeException.usage("no client secret for " + provider.name() + "; pipe it to --stdin (with "
          + "--client-id ID)");
    }
    List<String> scopes = Optional.ofNullable(value(values, "scopes")).filter(s -> !s.isBlank())
        .map(OAuthClients::splitScopes).orElse(context.scopes());
    // The scopes typed in the form are this login's: the record keeps none, so no later login inherits them.
    ClientRecord record = new ClientRecord(1, provider.name(), context.profile(), id.trim(),
        secret == null || secret.isEmpty() ? null : secret, context.baseUrl().orElse(null), List.of(), "user", null,
        context.clock().instant(), Map.of());
    return new Resolved(config(provider, endpoints, id.trim(), record.clientSecret()), scopes, Optional.of(record));
  }

  /**
   * The client a connection's tokens were issued to ({@link FlowContext#client()}, which the engine resolves from the
   * connection), for refresh and revocation; empty when none is known and no {@code --client-id} is given.
   */
  public static Optional<ClientConfig> stored(FlowContext context, ServerEndpoints endpoints) {
    Optional<ClientRecord> record = context.client().filter(c -> c.clientId() != null);
    if (record.isPresent()) {
      return Optional.of(config(context.provider(), endpoints, record.get().clientId(), record.get().clientSecret()));
    }
    return context.option("client_id").filter(s -> !s.isBlank())
        .map(id -> config(context.provider(), endpoints, id, null));
  }

  /**
   * The client authentication method: the definition's {@code token_endpoint_auth_method}; else none without a
   * secret; else {@code client_secret_basic} unless the server's metadata lists only {@code client_secret_post}.
   */
  public static ClientConfig config(ProviderDefinition provider, ServerEndpoints endpoints, String clientId,
      @Nullable String clientSecret) {
    Optional<Secret> secret = Optional.ofNullable(clientSecret).filter(s -> !s.isEmpty()).map(Secret::of);
    String declared = provider.oauthConfig().map(o -> o.tokenEndpointAuthMethod()).orElse(null);
    ClientAuthenticationMethod method;
    if (declared != null && !declared.isBlank()) {
      method = ClientAuthenticationMethod.parse(declared.trim());
      if (!List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
          ClientAuthenticationMethod.NONE).contains(method)) {
        throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "token_endpoint_auth_method '" + declared
            + "' of provider '" + provider.name() + "' is not supported; use client_secret_basic, "
            + "client_secret_post or none");
      }
    } else if (secret.isEmpty()) {
      method = ClientAuthenticationMethod.NONE;
    } else {
      List<ClientAuthenticationMethod> supported = endpoints.tokenEndpointAuthMethods();
      boolean postOnly = supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)
          && !supported.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
      method = postOnly ? ClientAuthenticationMethod.CLIENT_SECRET_POST : ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
    }
    return new ClientConfig(clientId, secret, method);
  }

  /** Splits {@code "a b,c"} into scopes. */
  public static List<String> splitScopes(String value) {
    return Arrays.stream(value.split("[\\s,]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static @Nullable String value(Map<String, Secret> values, String name) {
    Secret s = values.get(name);
    return s == null ? null : s.reveal();
  }
}
