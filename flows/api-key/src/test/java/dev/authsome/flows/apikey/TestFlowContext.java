package dev.authsome.flows.apikey;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flow context whose input comes from a fixed answer, as from {@code --stdin}: the flow under test does all the
 * work, the context only supplies what the engine would.
 */
final class TestFlowContext implements FlowContext {
  static final Instant NOW = Instant.parse("2026-11-27T05:00:00Z");

  private final ProviderDefinition provider;
  private final String answer;
  final List<InputRequest> requests = new ArrayList<>();
  final StringWriter progress = new StringWriter();

  TestFlowContext(String providerYaml, String answer) {
    this.provider = ProviderDefinitions.parse(providerYaml, ProviderDefinitions.Format.YAML, "test.yaml");
    this.answer = answer;
  }

  @Override
  public ProviderDefinition provider() {
    return provider;
  }

  @Override
  public String connectionName() {
    return "work";
  }

  @Override
  public String profile() {
    return "default";
  }

  @Override
  public Optional<ClientRecord> client() {
    return Optional.empty();
  }

  @Override
  public List<String> scopes() {
    return List.of();
  }

  @Override
  public Optional<String> baseUrl() {
    return Optional.empty();
  }

  @Override
  public InputCollector input() {
    return request -> {
      requests.add(request);
      return Map.of(request.fields().get(0).name(), Secret.of(answer));
    };
  }

  @Override
  public PrintWriter progress() {
    return new PrintWriter(progress, true);
  }

  @Override
  public Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(300);
  }

  @Override
  public Map<String, String> options() {
    return Map.of();
  }

  @Override
  public <T> Optional<T> providerExtension(Class<T> type) {
    return Optional.empty();
  }

  static final String OPENAI = """
      name: openai
      display_name: OpenAI
      docs_url: https://platform.openai.com/docs/api-reference/authentication
      auth_type: api_key
      api_key:
        header_name: Authorization
        header_prefix: Bearer
        key_pattern: '^sk-[A-Za-z0-9_-]{20,}$'
        key_pattern_hint: OpenAI API keys start with sk-
      api_url: [api.openai.com, 'https://files.openai.com/v1']
      """;
}
