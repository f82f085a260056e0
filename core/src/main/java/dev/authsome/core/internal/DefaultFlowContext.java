package dev.authsome.core.internal;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.InputCollector;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The engine's {@link FlowContext}: values decided by the engine, nothing read by the flow itself. */
record DefaultFlowContext(
    Context ctx,
    ProviderDefinition provider,
    String connectionName,
    @Nullable ClientRecord clientRecord,
    List<String> scopes,
    @Nullable String base,
    InputCollector input,
    Duration timeout,
    Map<String, String> options) implements FlowContext {

  @Override
  public String profile() {
    return Keys.PROFILE;
  }

  @Override
  public Optional<ClientRecord> client() {
    return Optional.ofNullable(clientRecord);
  }

  @Override
  public Optional<String> baseUrl() {
    return Optional.ofNullable(base);
  }

  @Override
  public PrintWriter progress() {
    return ctx.progress;
  }

  @Override
  public Clock clock() {
    return ctx.clock;
  }

  @Override
  public <T> Optional<T> providerExtension(Class<T> type) {
    return ctx.catalogue().extension(provider.name(), type);
  }
}
