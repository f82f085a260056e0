package dev.authsome.oauth.testing;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.InputCollector;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link FlowContext} built by hand, as the engine would build it. Progress output is captured and readable while
 * the flow runs ({@link #progressText()}).
 */
public final class TestFlowContext implements FlowContext {
  private final ProviderDefinition provider;
  private Optional<ClientRecord> client = Optional.empty();
  private List<String> scopes;
  private InputCollector input = request -> {
    throw AuthsomeException.usage("no input available in this test (asked for " + request.fields() + ")");
  };
  private Duration timeout = Duration.ofSeconds(60);
  private final Map<String, String> options = new HashMap<>();
  private final Map<Class<?>, Object> extensions = new HashMap<>();
  private final StringBuffer progress = new StringBuffer();
  private String connectionName = "default";

  public TestFlowContext(ProviderDefinition provider) {
    this.provider = provider;
    this.scopes = provider.oauthConfig().map(o -> o.scopes()).orElse(List.of());
    // Loopback servers are never reached through a proxy a developer may have set; no real browser either.
    options.put("no_proxy", "127.0.0.1,localhost");
    options.put("display", "false");
  }

  public TestFlowContext client(ClientRecord record) {
    this.client = Optional.ofNullable(record);
    return this;
  }

  public TestFlowContext scopes(List<String> s) {
    this.scopes = List.copyOf(s);
    return this;
  }

  public TestFlowContext input(InputCollector collector) {
    this.input = collector;
    return this;
  }

  public TestFlowContext timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  public TestFlowContext option(String name, String value) {
    options.put(name, value);
    return this;
  }

  public TestFlowContext connection(String name) {
    this.connectionName = name;
    return this;
  }

  public <T> TestFlowContext extension(Class<T> type, T value) {
    extensions.put(type, value);
    return this;
  }

  /** Everything the flow printed so far. */
  public String progressText() {
    return progress.toString();
  }

  @Override
  public ProviderDefinition provider() {
    return provider;
  }

  @Override
  public String connectionName() {
    return connectionName;
  }

  @Override
  public String profile() {
    return "default";
  }

  @Override
  public Optional<ClientRecord> client() {
    return client;
  }

  @Override
  public List<String> scopes() {
    return scopes;
  }

  @Override
  public Optional<String> baseUrl() {
    return Optional.empty();
  }

  @Override
  public InputCollector input() {
    return input;
  }

  @Override
  public PrintWriter progress() {
    return new PrintWriter(new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) {
        progress.append(cbuf, off, len);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    }, true);
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public Map<String, String> options() {
    return Map.copyOf(options);
  }

  @Override
  public <T> Optional<T> providerExtension(Class<T> type) {
    return Optional.ofNullable(type.cast(extensions.get(type)));
  }
}
