package dev.authsome.flow.dcrpkce;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.AuthorizationCodeLogin;
import dev.authsome.oauth.ClientConfig;
import dev.authsome.oauth.LoopbackServer;
import dev.authsome.oauth.OAuthConnections;
import dev.authsome.oauth.OAuthFlow;
import dev.authsome.oauth.OAuthSupport;
import dev.authsome.oauth.ServerEndpoints;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import dev.authsome.oauth.TokenSet;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code dcr_pkce}: registers authsome as a native public client (RFC 7591: {@code token_endpoint_auth_method none},
 * {@code application_type native}, grant types authorization code and refresh token, the loopback redirect URI
 * authsome listens on), then logs in with PKCE. The registration endpoint comes from the definition or from discovery
 * (RFC 8414, OpenID Connect, RFC 9728). The registered client is stored with source {@code dcr} and reused while its
 * redirect URI still matches; {@code revoke} forgets it.
 */
public final class DcrPkceFlow implements OAuthFlow {
  /** Client record metadata key: the redirect URI the client was registered with. */
  static final String REDIRECT_URI = "redirect_uri";

  /** Public no-arg constructor, as PF4J instantiates extensions. */
  public DcrPkceFlow() {
  }

  @Override
  public String id() {
    return "dcr_pkce";
  }

  @Override
  public Set<AuthType> authTypes() {
    return Set.of(AuthType.OAUTH2);
  }

  @Override
  public String description() {
    return "OAuth 2.0 dynamic client registration (RFC 7591), then PKCE through the browser";
  }

  @Override
  public FlowResult login(FlowContext context) {
    OAuthSupport support = OAuthSupport.of(context);
    ServerEndpoints endpoints = support.endpoints(
        EnumSet.of(Endpoint.REGISTRATION, Endpoint.AUTHORIZATION, Endpoint.TOKEN));
    int port = support.settings().callbackPort();
    URI redirectUri = LoopbackServer.redirectUri(port);
    List<String> scopes = context.scopes();
    Optional<ClientRecord> reusable = context.client()
        .filter(c -> c.clientId() != null)
        .filter(c -> !"dcr".equals(c.source()) || redirectUri.toString().equals(c.metadata().get(REDIRECT_URI)));
    ClientRecord registered = null;
    ClientConfig client;
    if (reusable.isPresent()) {
      client = config(reusable.get());
    } else {
      registered = register(support, endpoints, redirectUri, scopes);
      client = config(registered);
    }
    try (LoopbackServer server = LoopbackServer.start(port, context.progress())) {
      TokenSet tokens = AuthorizationCodeLogin.run(support, endpoints, client, scopes, server);
      ConnectionRecord record = OAuthConnections.connected(context, id(), tokens, scopes,
          OAuthConnections.account(support, endpoints, tokens), client);
      return new FlowResult(record, registered);
    }
  }

  private static ClientConfig config(ClientRecord record) {
    Object method = record.metadata().get("token_endpoint_auth_method");
    ClientAuthenticationMethod m = method instanceof String s ? ClientAuthenticationMethod.parse(s)
        : record.clientSecret() == null ? ClientAuthenticationMethod.NONE
        : ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
    return new ClientConfig(record.clientId(), Optional.ofNullable(record.clientSecret()).map(Secret::of), m);
  }

  private static ClientRecord register(OAuthSupport support, ServerEndpoints endpoints, URI redirectUri,
      List<String> scopes) {
    FlowContext context = support.context();
    URI endpoint = endpoints.get(Endpoint.REGISTRATION).orElseThrow(() -> new AuthsomeException(
        ErrorCode.INVALID_PROVIDER, "could not find the registration endpoint of " + context.provider().name()
            + " (RFC 8414/OpenID/RFC 9728 discovery found none); set oauth.registration_endpoint in the provider "
            + "definition"));
    OIDCClientMetadata metadata = new OIDCClientMetadata();
    metadata.setName("authsome (" + context.provider().displayName() + ")");
    metadata.setApplicationType(ApplicationType.NATIVE);
    metadata.setRedirectionURI(redirectUri);
    metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
    metadata.setResponseTypes(Set.of(ResponseType.CODE));
    metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
    if (!scopes.isEmpty()) {
      metadata.setScope(new Scope(scopes.toArray(String[]::new)));
    }
    HTTPRequest request = new ClientRegistrationRequest(endpoint, metadata, null).toHTTPRequest();
    HTTPResponse response = support.http().send(request, ErrorCode.AUTHENTICATION_FAILED, "registration endpoint");
    ClientRegistrationResponse parsed;
    try {
      parsed = ClientRegistrationResponse.parse(response);
    } catch (ParseException e) {
      throw AuthsomeException.authenticationFailed("the registration endpoint " + endpoint + " answered HTTP "
          + response.getStatusCode() + " with something that is not a client registration response ("
          + e.getMessage() + ")");
    }
    if (parsed instanceof ClientRegistrationErrorResponse error) {
      var e = error.getErrorObject();
      throw AuthsomeException.authenticationFailed("dynamic client registration at " + endpoint + " was refused: "
          + (e == null ? "HTTP " + response.getStatusCode()
          : e.getCode() + (e.getDescription() == null ? "" : " (" + e.getDescription() + ")")));
    }
    ClientInformation info = parsed.toSuccessResponse().getClientInformation();
    Map<String, Object> recordMetadata = new LinkedHashMap<>();
    recordMetadata.put(REDIRECT_URI, redirectUri.toString());
    ClientAuthenticationMethod method = info.getMetadata().getTokenEndpointAuthMethod();
    recordMetadata.put("token_endpoint_auth_method",
        (method == null ? ClientAuthenticationMethod.NONE : method).getValue());
    if (info.getRegistrationURI() != null) {
      recordMetadata.put("registration_client_uri", info.getRegistrationURI().toString());
    }
    context.progress().println("Registered authsome as an OAuth client of " + context.provider().displayName()
        + " (client id " + info.getID().getValue() + ").");
    context.progress().flush();
    return new ClientRecord(1, context.provider().name(), context.profile(), info.getID().getValue(),
        info.getSecret() == null ? null : info.getSecret().getValue(), context.baseUrl().orElse(null), scopes, "dcr",
        endpoint.toString(), context.clock().instant(), recordMetadata);
  }
}
