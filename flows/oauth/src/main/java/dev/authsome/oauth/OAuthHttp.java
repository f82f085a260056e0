package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.io.IOException;
import java.net.Proxy;
import java.time.Duration;

/**
 * Sends Nimbus {@link HTTPRequest}s: through the proxy the environment selects for the URL, with bounded connect and
 * read timeouts, never following redirects (a redirected token request would leak the grant), asking for JSON.
 */
public final class OAuthHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final EnvironmentProxy proxy;

  public OAuthHttp(EnvironmentProxy proxy) {
    this.proxy = requireNonNull(proxy, "proxy");
  }

  /** The proxy selection in use. */
  public EnvironmentProxy proxy() {
    return proxy;
  }

  /** Sends {@code request}; an I/O failure (unreachable, timed out) is thrown as is. */
  public HTTPResponse send(HTTPRequest request) throws IOException {
    Proxy selected = proxy.select(request.getURI());
    if (selected != Proxy.NO_PROXY) {
      request.setProxy(selected);
    }
    request.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    request.setReadTimeout((int) READ_TIMEOUT.toMillis());
    request.setFollowRedirects(false);
    // Every OAuth endpoint answers JSON; without this, the JDK's default Accept makes some servers (oidc-provider)
    // render errors as HTML pages.
    if (request.getAccept() == null) {
      request.setAccept("application/json");
    }
    return request.send();
  }

  /**
   * Sends {@code request}; an I/O failure becomes an {@link AuthsomeException} with {@code code}, naming
   * {@code what} ("token endpoint") and the URL.
   */
  public HTTPResponse send(HTTPRequest request, ErrorCode code, String what) {
    try {
      return send(request);
    } catch (IOException e) {
      throw new AuthsomeException(code, "cannot reach the " + what + " " + request.getURI() + " ("
          + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); check the network connection and HTTPS_PROXY/NO_PROXY", e);
    }
  }
}
