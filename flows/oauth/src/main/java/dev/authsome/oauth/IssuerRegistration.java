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
import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinition.OAuthConfig;
import dev.authsome.core.ProviderDefinitions;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code register --issuer URL}: a provider definition built from an authorization server's own metadata, fetched
 * with Nimbus from RFC 8414 {@code /.well-known/oauth-authorization-server} or else OpenID Connect
 * {@code /.well-known/openid-configuration}. Any standards-compliant server then works without writing a file.
 *
 * <p>The definition names the issuer and every endpoint the metadata lists; its flow is {@code dcr_pkce} when the
 * server offers dynamic client registration, else {@code pkce} (or {@code device_code} for a server with only the
 * device grant); its scopes are those of {@code openid}, {@code profile}, {@code email} and {@code offline_access}
 * the server advertises.
 */
public final class IssuerRegistration {
  /** The scopes requested by default, when the server lists them in {@code scopes_supported}. */
  static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email", "offline_access");

  private final OAuthHttp http;

  public IssuerRegistration(OAuthHttp http) {
    this.http = requireNonNull(http, "http");
  }

  /**
   * Fetches the metadata of {@code issuer} and builds a validated definition.
   *
   * @param name the provider name; null for the issuer's host with dots replaced by {@code -}
   * @throws AuthsomeException {@link ErrorCode#USAGE} for a URL that is not https (http only on loopback) or a bad
   *     name; {@link ErrorCode#UNEXPECTED} when the server cannot be reached or serves no valid metadata
   */
  public ProviderDefinition definition(String issuer, @Nullable String name) {
    requireNonNull(issuer, "issuer");
    URI uri = checkIssuer(issuer.trim());
    String providerName = name == null || name.isBlank() ? defaultName(uri) : name.trim();
    if (!ProviderDefinitions.isValidName(providerName)) {
      throw AuthsomeException.usage("'" + providerName + "' cannot be a provider name; pass --name with letters, "
          + "digits, '.', '_' or '-' (starting with a letter or digit).");
    }
    AuthorizationServerMetadata md = fetch(new Issuer(issuer.trim()));
    return ProviderDefinitions.validate(build(providerName, uri, md), "the metadata of " + issuer,
        ProviderDefinitions.BUILTIN_FLOWS);
  }

  /** The issuer's host with dots replaced by {@code -}: {@code auth.example.com} becomes {@code auth-example-com}. */
  public static String defaultName(URI issuer) {
    return issuer.getHost().toLowerCase(Locale.ROOT).replace("[", "").replace("]", "").replace(':', '-')
        .replace('.', '-');
  }

  private static URI checkIssuer(String issuer) {
    URI uri;
    try {
      uri = new URI(issuer);
    } catch (URISyntaxException e) {
      throw AuthsomeException.usage("'" + issuer + "' is not a URL; pass the issuer as https://host[/path].");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    boolean loopback = Set.of("127.0.0.1", "localhost", "[::1]", "::1").contains(host);
    if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
      throw AuthsomeException.usage("The issuer must be an https URL (http only on 127.0.0.1, ::1 or localhost); got '"
          + issuer + "'.");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw AuthsomeException.usage("An issuer URL has no query or fragment (RFC 8414); got '" + issuer + "'.");
    }
    return uri;
  }

  /**
   * RFC 8414 first, then OpenID Connect discovery; the first valid document for this very issuer wins. For an issuer
   * with a path, RFC 8414 section 3.1 puts the well-known segment between host and path
   * ({@code https://host/.well-known/oauth-authorization-server/tenant}); Nimbus's request appends it instead, as
   * some servers serve it, so both are tried.
   */
  private AuthorizationServerMetadata fetch(Issuer issuer) {
    List<HTTPRequest> requests = new ArrayList<>();
    URI uri = URI.create(issuer.getValue());
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.isEmpty()) {
      requests.add(new HTTPRequest(HTTPRequest.Method.GET, URI.create(uri.getScheme() + "://" + uri.getRawAuthority()
          + "/.well-known/oauth-authorization-server" + path)));
    }
    requests.add(new AuthorizationServerConfigurationRequest(issuer).toHTTPRequest());
    requests.add(new OIDCProviderConfigurationRequest(issuer).toHTTPRequest());
    List<String> problems = new ArrayList<>();
    IOException unreachable = null;
    for (HTTPRequest request : requests) {
      try {
        HTTPResponse response = http.send(request);
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
          problems.add(request.getURI() + " answered HTTP " + response.getStatusCode());
          continue;
        }
        AuthorizationServerMetadata md = AuthorizationServerMetadata.parse(response.getBodyAsJSONObject());
        if (!issuer.equals(md.getIssuer())) {
          // RFC 8414 section 3.3: metadata naming another issuer must not be used
          problems.add(request.getURI() + " names the issuer '" + md.getIssuer() + "'");
          continue;
        }
        return md;
      } catch (IOException e) {
        unreachable = e;
        problems.add(request.getURI() + " is unreachable (" + e.getClass().getSimpleName() + ": " + e.getMessage()
            + ")");
      } catch (ParseException e) {
        problems.add(request.getURI() + " is not valid metadata (" + e.getMessage() + ")");
      }
    }
    String what = unreachable != null && problems.stream().allMatch(p -> p.contains("is unreachable"))
        ? "Cannot reach the issuer " + issuer + ": " : "No usable authorization server metadata at " + issuer + ": ";
    throw new AuthsomeException(ErrorCode.UNEXPECTED, what + String.join("; ", problems)
        + "; check the URL (it must be the exact issuer), the network and HTTPS_PROXY/NO_PROXY.", unreachable);
  }

  static ProviderDefinition build(String name, URI issuer, AuthorizationServerMetadata md) {
    String authorization = string(md.getAuthorizationEndpointURI());
    String device = string(md.getDeviceAuthorizationEndpointURI());
    String registration = string(md.getRegistrationEndpointURI());
    String flow;
    if (authorization != null) {
      flow = registration != null ? "dcr_pkce" : "pkce";
    } else if (device != null) {
      flow = "device_code";
    } else {
      throw new AuthsomeException(ErrorCode.UNEXPECTED, "The metadata of " + issuer + " lists neither an "
          + "authorization_endpoint nor a device_authorization_endpoint, so no interactive login is possible; "
          + "write a provider definition by hand and use 'authsome register FILE'.");
    }
    List<String> scopes = new ArrayList<>();
    if (md.getScopes() != null) {
      List<String> supported = md.getScopes().toStringList();
      DEFAULT_SCOPES.stream().filter(supported::contains).forEach(scopes::add);
    }
    Object userinfo = md.getCustomParameter("userinfo_endpoint");
    OAuthConfig oauth = new OAuthConfig(authorization, string(md.getTokenEndpointURI()),
        string(md.getRevocationEndpointURI()), device, registration,
        userinfo instanceof String s && !s.isBlank() ? s : null, md.getIssuer().getValue(), "oauth2_form", scopes,
        null, true, device != null, registration != null, authMethod(md.getTokenEndpointAuthMethods()), Map.of(),
        Map.of());
    String docs = string(md.getServiceDocsURI());
    String host = issuer.getHost();
    return new ProviderDefinition(1, name, host, "Registered from the authorization server metadata of " + issuer
        + ".", null, docs, AuthType.OAUTH2, flow, oauth, null, Map.of(), List.of(), Map.of(), Map.of());
  }

  /**
   * Only a choice the flows would not make themselves is written: {@code client_secret_post} for a server without
   * {@code client_secret_basic}, {@code none} for one that takes public clients only; otherwise the flows read the
   * metadata at login.
   */
  static @Nullable String authMethod(@Nullable List<ClientAuthenticationMethod> methods) {
    if (methods == null || methods.isEmpty() || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
      return null;
    }
    if (methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
      return "client_secret_post";
    }
    return methods.equals(List.of(ClientAuthenticationMethod.NONE)) ? "none" : null;
  }

  private static @Nullable String string(@Nullable URI uri) {
    return uri == null ? null : uri.toString();
  }
}
