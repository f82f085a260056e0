package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerConfigurationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderConfigurationRequest;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import dev.authsome.oauth.ServerEndpoints.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.jspecify.annotations.Nullable;

/**
 * Finds a provider's endpoints: the definition's own URLs first; when the definition names an {@code issuer}, or a
 * needed endpoint is missing, authorization server metadata (RFC 8414 {@code /.well-known/oauth-authorization-server},
 * then OpenID Connect discovery) fills the gaps. Where the issuer is not known, it is looked for in the RFC 9728
 * protected resource metadata of the provider's API URLs (as MCP servers publish it), then at the origin of the
 * authorization or token URL. Metadata found is cached for the life of the process; a failure is not (a server
 * that was down is asked again next time). Every endpoint and issuer learnt from a server is held to the rule the
 * definitions are: https, or http only on a loopback host.
 */
public final class Discovery {
  private static final Map<String, AuthorizationServerMetadata> CACHE = new ConcurrentHashMap<>();
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "::1", "[::1]", "localhost");

  private final OAuthHttp http;

  public Discovery(OAuthHttp http) {
    this.http = requireNonNull(http, "http");
  }

  /**
   * The endpoints of {@code provider}, discovering what {@code needed} lacks. A missing needed endpoint is not an
   * error here; {@link ServerEndpoints#require} reports it where it is used.
   */
  public ServerEndpoints endpoints(ProviderDefinition provider, Set<Endpoint> needed) {
    OAuthConfig oauth = provider.oauthConfig().orElseThrow(() -> new AuthsomeException(ErrorCode.INVALID_PROVIDER,
        "provider '" + provider.name() + "' has no oauth section; add one to its definition"));
    ServerEndpoints declared = fromDefinition(provider.name(), oauth);
    Optional<AuthorizationServerMetadata> metadata = Optional.empty();
    if (oauth.issuer() != null) {
      metadata = metadata(new Issuer(oauth.issuer()));
    }
    EnumSet<Endpoint> missing = EnumSet.noneOf(Endpoint.class);
    for (Endpoint e : needed) {
      if (declared.get(e).isEmpty()) {
        missing.add(e);
      }
    }
    if (metadata.isEmpty() && !missing.isEmpty()) {
      for (URI resource : resources(provider.apiUrls())) {
        Optional<Issuer> issuer = protectedResourceIssuer(resource);
        if (issuer.isPresent()) {
          metadata = metadata(issuer.get());
          if (metadata.isPresent()) {
            break;
          }
        }
      }
    }
    if (metadata.isEmpty() && !missing.isEmpty()) {
      URI base = declared.authorization().or(declared::token).orElse(null);
      if (base != null && base.getHost() != null) {
        metadata = metadata(new Issuer(origin(base)));
      }
    }
    return metadata.map(md -> merge(declared, md)).orElse(declared);
  }

  /** Authorization server metadata of {@code issuer}: RFC 8414 first, then OpenID Connect discovery. */
  public Optional<AuthorizationServerMetadata> metadata(Issuer issuer) {
    // No network I/O inside computeIfAbsent (it would hold the map's bin lock, and a slow server would block every
    // other lookup); two threads may fetch the same issuer once each, which is harmless.
    AuthorizationServerMetadata cached = CACHE.get(issuer.getValue());
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<AuthorizationServerMetadata> fetched = fetchMetadata(issuer);
    fetched.ifPresent(md -> CACHE.putIfAbsent(issuer.getValue(), md));
    return fetched;
  }

  /**
   * Refuses an endpoint or issuer a server told us about that is neither https nor on a loopback host: a token or
   * an authorization code must never travel in clear text because a metadata document said so.
   */
  static @Nullable URI secure(String what, @Nullable URI uri) {
    if (uri == null) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
    if (!host.isEmpty() && (scheme.equals("https") || scheme.equals("http") && LOOPBACK_HOSTS.contains(host))) {
      return uri;
    }
    throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, what + " is '" + uri + "', which is not https (http is"
        + " allowed only for 127.0.0.1, ::1 or localhost); authsome will not use it: declare the endpoint in the"
        + " provider definition, or report it to the provider");
  }

  private Optional<AuthorizationServerMetadata> fetchMetadata(Issuer issuer) {
    List<HTTPRequest> requests;
    try {
      requests = List.of(new AuthorizationServerConfigurationRequest(issuer).toHTTPRequest(),
          new OIDCProviderConfigurationRequest(issuer).toHTTPRequest());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    for (HTTPRequest request : requests) {
      try {
        HTTPResponse response = http.send(request);
        if (response.getStatusCode() != 200) {
          continue;
        }
        AuthorizationServerMetadata md = AuthorizationServerMetadata.parse(response.getBodyAsJSONObject());
        // RFC 8414 section 3.3: metadata that names another issuer must not be used.
        if (issuer.equals(md.getIssuer())) {
          String from = "the " + md.getIssuer() + " metadata's ";
          secure(from + "authorization_endpoint", md.getAuthorizationEndpointURI());
          secure(from + "token_endpoint", md.getTokenEndpointURI());
          secure(from + "revocation_endpoint", md.getRevocationEndpointURI());
          secure(from + "device_authorization_endpoint", md.getDeviceAuthorizationEndpointURI());
          secure(from + "registration_endpoint", md.getRegistrationEndpointURI());
          if (md.getCustomParameter("userinfo_endpoint") instanceof String userinfo) {
            secure(from + "userinfo_endpoint", safeUri(userinfo));
          }
          return Optional.of(md);
        }
      } catch (IOException | ParseException e) {
        // Unreachable or not metadata: try the next well-known location, then fall back to the definition.
      }
    }
    return Optional.empty();
  }

  /**
   * The first authorization server named by the RFC 9728 metadata of {@code resource}
   * ({@code /.well-known/oauth-protected-resource} inserted between host and path).
   */
  public Optional<Issuer> protectedResourceIssuer(URI resource) {
    String path = resource.getRawPath() == null || resource.getRawPath().equals("/") ? "" : resource.getRawPath();
    URI wellKnown = URI.create(origin(resource) + "/.well-known/oauth-protected-resource" + path);
    try {
      HTTPResponse response = http.send(new HTTPRequest(HTTPRequest.Method.GET, wellKnown));
      if (response.getStatusCode() != 200) {
        return Optional.empty();
      }
      JSONObject json = response.getBodyAsJSONObject();
      Object servers = json.get("authorization_servers");
      if (servers instanceof JSONArray array && !array.isEmpty() && array.get(0) instanceof String first) {
        secure("the authorization server named by " + wellKnown, URI.create(first));
        return Optional.of(new Issuer(first));
      }
    } catch (IOException | ParseException | IllegalArgumentException e) {
      // No protected resource metadata there: not an MCP-style server.
    }
    return Optional.empty();
  }

  /**
   * The definition's endpoints. Until metadata says otherwise, the token endpoint is assumed to take
   * {@code client_secret_post}: a definition that states no method means what the reference tool meant by it, the
   * client credentials in the form body (its {@code token_endpoint_auth_method}, when stated, wins in any case).
   */
  static ServerEndpoints fromDefinition(String provider, OAuthConfig oauth) {
    return new ServerEndpoints(provider,
        Optional.ofNullable(oauth.issuer()).map(Issuer::new),
        uri(oauth.authorizationUrl()), uri(oauth.tokenUrl()), uri(oauth.revocationUrl()),
        uri(oauth.deviceAuthorizationUrl()), uri(oauth.registrationEndpoint()), uri(oauth.userinfoUrl()),
        false, List.of(ClientAuthenticationMethod.CLIENT_SECRET_POST));
  }

  private static ServerEndpoints merge(ServerEndpoints declared, AuthorizationServerMetadata md) {
    URI userinfo = md.getCustomParameter("userinfo_endpoint") instanceof String s ? safeUri(s) : null;
    List<ClientAuthenticationMethod> methods = md.getTokenEndpointAuthMethods() == null
        ? List.of() : new ArrayList<>(md.getTokenEndpointAuthMethods());
    return new ServerEndpoints(declared.provider(),
        declared.issuer().or(() -> Optional.ofNullable(md.getIssuer())),
        declared.authorization().or(() -> Optional.ofNullable(md.getAuthorizationEndpointURI())),
        declared.token().or(() -> Optional.ofNullable(md.getTokenEndpointURI())),
        declared.revocation().or(() -> Optional.ofNullable(md.getRevocationEndpointURI())),
        declared.deviceAuthorization().or(() -> Optional.ofNullable(md.getDeviceAuthorizationEndpointURI())),
        declared.registration().or(() -> Optional.ofNullable(md.getRegistrationEndpointURI())),
        declared.userinfo().or(() -> Optional.ofNullable(userinfo)),
        md.supportsAuthorizationResponseIssuerParam(),
        methods);
  }

  /** API URLs that name a resource: plain hosts become https URLs; {@code regex:} patterns are skipped. */
  static List<URI> resources(List<String> apiUrls) {
    List<URI> out = new ArrayList<>();
    for (String url : apiUrls) {
      if (url.startsWith("regex:")) {
        continue;
      }
      URI uri = safeUri(url.contains("://") ? url : "https://" + url);
      if (uri != null && uri.getHost() != null) {
        out.add(uri);
      }
    }
    return out;
  }

  static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static Optional<URI> uri(@Nullable String value) {
    return Optional.ofNullable(value).filter(v -> !v.isBlank()).map(Discovery::safeUri);
  }

  private static @Nullable URI safeUri(String value) {
    try {
      return URI.create(value.trim());
    } catch (IllegalArgumentException e) {
      throw new AuthsomeException(ErrorCode.INVALID_PROVIDER, "'" + value + "' is not a valid URL; fix it in the "
          + "provider definition");
    }
  }

  /** Forgets cached metadata (tests that restart a server on the same address). */
  static void clearCache() {
    CACHE.clear();
  }

}
