package dev.authsome.core.spi;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ProviderDefinition;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a flow may use. The engine builds it; flows never read the process environment, the terminal or the
 * vault directly.
 */
public interface FlowContext {

  /** The provider, with {@code {base_url}} already resolved in every URL. */
  ProviderDefinition provider();

  /** The connection being created or used. */
  String connectionName();

  /** The profile ({@code default}). */
  String profile();

  /**
   * The OAuth client to use. At login: the client {@code --client-id} names, if one is stored, else the provider's
   * client record (the default for new logins). When refreshing or revoking: the client the connection's tokens were
   * issued to ({@link dev.authsome.core.ConnectionRecord#clientId()}; for a public client stored nowhere, a record
   * holding only its id). Empty when none is known.
   */
  Optional<ClientRecord> client();

  /**
   * Effective scopes: at login {@code --scopes}, else the definition's (scopes asked for one connection never become
   * the default of another); when refreshing or revoking, the connection's.
   */
  List<String> scopes();

  /** The effective base URL, if the provider has one. */
  Optional<String> baseUrl();

  /** Collects missing input (keys, client credentials). */
  InputCollector input();

  /** Progress lines for the user (device code, URLs, countdowns); goes to the terminal's stderr. */
  PrintWriter progress();

  Clock clock();

  /** How long to wait for the user (browser callback, form); {@code --timeout}, default 300 s. */
  Duration timeout();

  /**
   * Flow options from the command line and configuration: {@code client_id}, {@code no_browser},
   * {@code callback_port}, {@code browser} (the {@code $BROWSER} value), ...
   */
  Map<String, String> options();

  default Optional<String> option(String name) {
    return Optional.ofNullable(options().get(name));
  }

  /**
   * An extension the provider's plugin contributes (for example OAuth quirks), looked up by type. Empty when the
   * provider is purely declarative.
   */
  <T> Optional<T> providerExtension(Class<T> type);
}
