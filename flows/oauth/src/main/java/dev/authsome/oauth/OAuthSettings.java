package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.FlowContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a login's command line and environment say about the local side of OAuth: the loopback port, how to open a
 * browser, how long to wait, and which proxy outbound calls use.
 *
 * @param callbackPort the loopback port; the redirect URI is {@code http://127.0.0.1:PORT/auth/callback/oauth}
 * @param browser the {@code $BROWSER} value, if set
 * @param noBrowser {@code --no-browser}: print URLs, open nothing
 * @param display whether a graphical display is available (the platform opener is tried only then)
 * @param timeout how long to wait for the user
 * @param proxy proxy selection for outbound calls
 */
public record OAuthSettings(int callbackPort, Optional<String> browser, boolean noBrowser, boolean display,
    Duration timeout, EnvironmentProxy proxy) {

  /** The port of the redirect URI registered by default: {@code http://127.0.0.1:7998/auth/callback/oauth}. */
  public static final int DEFAULT_CALLBACK_PORT = 7998;

  /** The environment variable that moves the loopback listener and the redirect URI together. */
  public static final String CALLBACK_PORT_ENV = "AUTHSOME_CALLBACK_PORT";

  public OAuthSettings {
    requireNonNull(browser, "browser");
    requireNonNull(timeout, "timeout");
    requireNonNull(proxy, "proxy");
    if (callbackPort < 0 || callbackPort > 65535) {
      throw AuthsomeException.usage("callback port " + callbackPort + " is out of range; set "
          + CALLBACK_PORT_ENV + " to a port between 1 and 65535");
    }
  }

  /**
   * Reads the settings from a flow's options ({@code callback_port}, {@code browser}, {@code no_browser},
   * {@code display}, {@code https_proxy}, {@code http_proxy}, {@code no_proxy}), which the engine fills from the
   * command line and the environment. When an option is absent the process environment is consulted, so that the
   * library behaves the same when embedded without the engine.
   */
  public static OAuthSettings from(FlowContext context) {
    return from(context.options(), System.getenv(), context.timeout());
  }

  /** As {@link #from(FlowContext)}, with an explicit environment (tests, embedding). */
  public static OAuthSettings from(Map<String, String> options, Map<String, String> environment, Duration timeout) {
    int port = parsePort(first(options.get("callback_port"), environment.get(CALLBACK_PORT_ENV)));
    Optional<String> browser = Optional.ofNullable(first(options.get("browser"), environment.get("BROWSER")))
        .filter(b -> !b.isBlank());
    boolean noBrowser = Boolean.parseBoolean(options.getOrDefault("no_browser", "false"));
    String displayOption = options.get("display");
    boolean display = displayOption != null ? Boolean.parseBoolean(displayOption)
        : hasDisplay(environment);
    EnvironmentProxy proxy = EnvironmentProxy.from(
        first(options.get("https_proxy"), environment.get("HTTPS_PROXY"), environment.get("https_proxy")),
        first(options.get("http_proxy"), environment.get("HTTP_PROXY"), environment.get("http_proxy")),
        first(options.get("no_proxy"), environment.get("NO_PROXY"), environment.get("no_proxy")));
    return new OAuthSettings(port, browser, noBrowser, display, timeout, proxy);
  }

  /** Whether a graphical session is reachable: Windows and macOS always; elsewhere X11 or Wayland. */
  static boolean hasDisplay(Map<String, String> environment) {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    if (os.contains("win") || os.contains("mac")) {
      return true;
    }
    return notBlank(environment.get("DISPLAY")) || notBlank(environment.get("WAYLAND_DISPLAY"));
  }

  private static int parsePort(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_CALLBACK_PORT;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw AuthsomeException.usage("callback port '" + value + "' is not a number; set " + CALLBACK_PORT_ENV
          + " to a port between 1 and 65535");
    }
  }

  private static boolean notBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }

  private static @Nullable String first(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
