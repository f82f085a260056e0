package dev.authsome.proxy.agent;

import java.lang.instrument.Instrumentation;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A java agent for JVM children of {@code authsome run}: installs a default {@link Authenticator} that answers the
 * credential proxy's {@code 407 Proxy Authentication Required} with the user and password of the proxy URL in
 * {@code AUTHSOME_PROXY_URL} (else {@code HTTPS_PROXY}/{@code https_proxy}), for that proxy's host and port only, and
 * lets {@code HttpURLConnection} use Basic for HTTPS tunnels (the JDK disables that by default).
 *
 * <p>The JDK takes {@code https.proxyHost}/{@code https.proxyPort} from system properties but has no property for a
 * proxy password: without this agent every request of such a child would fail at the proxy. The credential it hands
 * out is the per-run proxy credential, never a provider's secret. It does nothing when no proxy URL is set, and never
 * prints (a child's output is its own).
 */
public final class ProxyCredentialAgent {
  static final String TUNNELING_DISABLED = "jdk.http.auth.tunneling.disabledSchemes";

  private ProxyCredentialAgent() {
  }

  /** The agent entry point ({@code Premain-Class}). */
  public static void premain(String args, Instrumentation instrumentation) {
    premain(args);
  }

  /** The agent entry point when the JVM offers no {@link Instrumentation}. */
  public static void premain(String args) {
    try {
      install(System.getenv());
    } catch (RuntimeException e) {
      // a bad proxy URL must not stop the child's JVM from starting; its requests will then see the 407
    }
  }

  /** Installs the authenticator for the proxy in {@code env}; returns it, or null when there is none. */
  static Authenticator install(Map<String, String> env) {
    Authenticator authenticator = forEnvironment(env);
    if (authenticator == null) {
      return null;
    }
    if (System.getProperty(TUNNELING_DISABLED) == null) {
      // must happen before HttpURLConnection is first loaded: it reads the property once; the user's own value wins
      System.setProperty(TUNNELING_DISABLED, "");
    }
    Authenticator.setDefault(authenticator);
    return authenticator;
  }

  /** The authenticator for the proxy URL in {@code env}, or null without one that carries a user and password. */
  static Authenticator forEnvironment(Map<String, String> env) {
    String url = first(env, "AUTHSOME_PROXY_URL", "HTTPS_PROXY", "https_proxy");
    if (url == null) {
      return null;
    }
    URI uri = URI.create(url.trim());
    String info = uri.getRawUserInfo();
    if (uri.getHost() == null || info == null || !info.contains(":")) {
      return null;
    }
    int colon = info.indexOf(':');
    String user = URLDecoder.decode(info.substring(0, colon), StandardCharsets.UTF_8);
    char[] password = URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8).toCharArray();
    int port = uri.getPort() != -1 ? uri.getPort() : 80;
    return new ProxyAuthenticator(uri.getHost(), port, user, password);
  }

  private static String first(Map<String, String> env, String... names) {
    for (String name : names) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** Answers only proxy challenges from the one proxy it was made for; anything else gets no credential. */
  static final class ProxyAuthenticator extends Authenticator {
    private final String host;
    private final int port;
    private final String user;
    private final char[] password;

    ProxyAuthenticator(String host, int port, String user, char[] password) {
      this.host = stripBrackets(host).toLowerCase(Locale.ROOT);
      this.port = port;
      this.user = user;
      this.password = password;
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      if (getRequestorType() != RequestorType.PROXY || getRequestingPort() != port) {
        return null;
      }
      String requesting = getRequestingHost();
      boolean sameHost = requesting != null && stripBrackets(requesting).toLowerCase(Locale.ROOT).equals(host);
      boolean sameAddress = getRequestingSite() != null && getRequestingSite().getHostAddress().equals(host);
      if (!sameHost && !sameAddress) {
        return null;
      }
      return new PasswordAuthentication(user, password.clone());
    }

    private static String stripBrackets(String h) {
      return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
  }
}
