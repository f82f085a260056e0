package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective settings of one run, resolved in one place with the precedence command-line flag > environment
 * variable > {@code config.yaml} > default.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>config.yaml key</th><th>environment</th><th>flag</th><th>default</th></tr>
 *   <tr><td>vault.backend</td><td>AUTHSOME_VAULT</td><td>--vault</td><td>file</td></tr>
 *   <tr><td>vault.master_key</td><td></td><td></td><td>chosen when the vault is created: keychain, file
 *       or env (AUTHSOME_MASTER_KEY, which always wins)</td></tr>
 *   <tr><td>oauth.refresh_margin_seconds</td><td>AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS</td><td></td>
 *       <td>min(300 s, half the token lifetime)</td></tr>
 *   <tr><td>oauth.callback_port</td><td>AUTHSOME_CALLBACK_PORT</td><td>--port</td><td>7998</td></tr>
 *   <tr><td>oauth.login_timeout_seconds</td><td>AUTHSOME_LOGIN_TIMEOUT_SECONDS</td><td>--timeout</td><td>300</td></tr>
 *   <tr><td>proxy.policy</td><td>AUTHSOME_PROXY_POLICY</td><td></td><td>allow (or deny)</td></tr>
 *   <tr><td>proxy.ca</td><td>AUTHSOME_PROXY_CA</td><td>--persistent-ca</td><td>ephemeral (or persistent)</td></tr>
 *   <tr><td>proxy.upstream_ca_file</td><td>AUTHSOME_UPSTREAM_CA_FILE</td><td></td><td>none</td></tr>
 *   <tr><td>proxy.resolve</td><td>AUTHSOME_PROXY_RESOLVE</td><td></td><td>none
 *       ({@code host:port=addr:port,...})</td></tr>
 * </table>
 *
 * @param vaultBackend the vault backend id
 * @param vaultSettings every {@code vault.*} setting with the prefix removed ({@code master_key -> keychain}), for the
 *     backend
 * @param refreshMargin a fixed refresh margin; empty means min(300 s, half the token lifetime)
 * @param callbackPort the loopback port OAuth redirects come back to
 * @param loginTimeout how long a login waits for the user
 * @param proxySettings every {@code proxy.*} setting with the prefix removed ({@code policy -> deny}), for the
 *     credential proxy
 * @param origins for each setting key, where its value came from ({@code flag}, {@code env AUTHSOME_VAULT},
 *     {@code config.yaml}, {@code default})
 */
public record Settings(
    String vaultBackend,
    Map<String, String> vaultSettings,
    Optional<Duration> refreshMargin,
    int callbackPort,
    Duration loginTimeout,
    Map<String, String> proxySettings,
    Map<String, String> origins) {

  /** The config.yaml key of the vault backend (also the key of {@code --vault} in the flag overrides). */
  public static final String VAULT_BACKEND = "vault.backend";
  public static final String VAULT_MASTER_KEY = "vault.master_key";
  public static final String REFRESH_MARGIN = "oauth.refresh_margin_seconds";
  public static final String CALLBACK_PORT = "oauth.callback_port";
  public static final String LOGIN_TIMEOUT = "oauth.login_timeout_seconds";
  public static final String PROXY_POLICY = "proxy.policy";
  public static final String PROXY_CA = "proxy.ca";
  public static final String PROXY_UPSTREAM_CA_FILE = "proxy.upstream_ca_file";
  public static final String PROXY_RESOLVE = "proxy.resolve";

  private static final Map<String, String> ENV_NAMES = Map.of(
      VAULT_BACKEND, "AUTHSOME_VAULT",
      REFRESH_MARGIN, "AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS",
      CALLBACK_PORT, "AUTHSOME_CALLBACK_PORT",
      LOGIN_TIMEOUT, "AUTHSOME_LOGIN_TIMEOUT_SECONDS",
      PROXY_POLICY, "AUTHSOME_PROXY_POLICY",
      PROXY_CA, "AUTHSOME_PROXY_CA",
      PROXY_UPSTREAM_CA_FILE, "AUTHSOME_UPSTREAM_CA_FILE",
      PROXY_RESOLVE, "AUTHSOME_PROXY_RESOLVE");

  private static final Map<String, String> DEFAULTS = Map.of(
      VAULT_BACKEND, "file",
      CALLBACK_PORT, "7998",
      LOGIN_TIMEOUT, "300",
      PROXY_POLICY, "allow",
      PROXY_CA, "ephemeral");

  public Settings {
    requireNonNull(vaultBackend, "vaultBackend");
    vaultSettings = Map.copyOf(vaultSettings);
    requireNonNull(refreshMargin, "refreshMargin");
    requireNonNull(loginTimeout, "loginTimeout");
    proxySettings = Map.copyOf(proxySettings);
    origins = Map.copyOf(origins);
  }

  /**
   * Resolves the settings.
   *
   * @param flags command-line overrides keyed by config key ({@code vault.backend -> memory})
   * @param environment the process environment
   * @param config the {@code config.yaml} settings flattened to dotted keys
   */
  public static Settings resolve(Map<String, String> flags, Map<String, String> environment,
      Map<String, String> config) {
    Map<String, String> origins = new TreeMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    TreeMap<String, String> keys = new TreeMap<>(DEFAULTS);
    ENV_NAMES.keySet().forEach(k -> keys.putIfAbsent(k, ""));
    config.keySet().forEach(k -> keys.putIfAbsent(k, ""));
    flags.keySet().forEach(k -> keys.putIfAbsent(k, ""));
    for (String key : keys.keySet()) {
      String env = ENV_NAMES.get(key);
      if (flags.containsKey(key) && !flags.get(key).isBlank()) {
        values.put(key, flags.get(key).trim());
        origins.put(key, "flag");
      } else if (env != null && environment.containsKey(env) && !environment.get(env).isBlank()) {
        values.put(key, environment.get(env).trim());
        origins.put(key, "env " + env);
      } else if (config.containsKey(key)) {
        values.put(key, config.get(key));
        origins.put(key, "config.yaml");
      } else if (DEFAULTS.containsKey(key)) {
        values.put(key, DEFAULTS.get(key));
        origins.put(key, "default");
      }
    }
    Map<String, String> vault = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith("vault.") && !k.equals(VAULT_BACKEND)) {
        vault.put(k.substring("vault.".length()), v);
      }
    });
    Map<String, String> proxy = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith("proxy.")) {
        proxy.put(k.substring("proxy.".length()), v);
      }
    });
    Optional<Duration> margin = Optional.ofNullable(values.get(REFRESH_MARGIN))
        .map(v -> Duration.ofSeconds(number(REFRESH_MARGIN, v, origins, 0, 86_400)));
    // not 0: "any free port" would register http://127.0.0.1:0/... as the redirect URI, which nothing answers
    int port = (int) number(CALLBACK_PORT, values.get(CALLBACK_PORT), origins, 1, 65_535);
    Duration timeout = Duration.ofSeconds(number(LOGIN_TIMEOUT, values.get(LOGIN_TIMEOUT), origins, 1, 86_400));
    return new Settings(values.get(VAULT_BACKEND), vault, margin, port, timeout, proxy, origins);
  }

  private static long number(String key, String value, Map<String, String> origins, long min, long max) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the value and where it came from
    }
    throw AuthsomeException.usage("Setting " + key + " = '" + value + "' (from " + origins.get(key)
        + ") is not a whole number between " + min + " and " + max + "; correct it.");
  }
}
