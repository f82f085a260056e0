package com.example.authsome;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.flows.apikey.ApiKeyFlow;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plugin author checks before publishing: the packaged jar, copied into a home's {@code plugins/} folder, is
 * picked up by the real plugin host as a drop-in provider, and the shipped {@code api_key} flow jar logs in with it.
 */
class ExampleProviderIT {
  @TempDir Path home;
  @TempDir Path bundled;

  @Test
  void droppedIntoHomePlugins_theProviderIsListedValidAndLogsIn() throws Exception {
    Path jar = Path.of(System.getProperty("example.plugin.jar"));
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    Path flowJar = jarOf(ApiKeyFlow.class);
    Files.copy(flowJar, bundled.resolve(flowJar.getFileName()));

    try (PluginHost host = PluginHost.open(PluginHostConfig.of(home, bundled))) {
      assertThat(host.problems()).isEmpty();
      ResolvedProvider provider = host.catalogue().find("exampleco").orElseThrow();
      assertThat(provider.source()).isEqualTo(ProviderSource.PLUGIN);
      ProviderDefinition definition = provider.definition();
      ProviderDefinitions.validateBundled(definition, provider.origin(), host.flows().ids());

      AuthFlow flow = host.flows().flow(definition.flow()).orElseThrow();
      ConnectionRecord record = flow.login(new StdinLikeContext(definition, "exco_0123456789abcdefXYZ\n"))
          .connection();
      assertThat(record.status()).isEqualTo(ConnectionStatus.CONNECTED);
      assertThat(record.apiKey()).isEqualTo("exco_0123456789abcdefXYZ");
      assertThat(record.apiUrls()).containsExactly("api.example.com", "regex:(^|\\.)weather\\.example\\.com$");
    }
  }

  private static Path jarOf(Class<?> type) throws URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(location.toString()).as("the api_key flow must be packaged first").endsWith(".jar");
    return location;
  }

  /** The input a {@code printf KEY | authsome login exampleco --stdin} would give the flow. */
  private record StdinLikeContext(ProviderDefinition provider, String stdin) implements FlowContext {
    @Override
    public String connectionName() {
      return "default";
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
      return request -> Map.of(request.fields().get(0).name(), Secret.of(stdin));
    }

    @Override
    public PrintWriter progress() {
      return new PrintWriter(new StringWriter());
    }

    @Override
    public Clock clock() {
      return Clock.systemUTC();
    }

    @Override
    public Duration timeout() {
      return Duration.ofSeconds(5);
    }

    @Override
    public Map<String, String> options() {
      return Map.of();
    }

    @Override
    public <T> Optional<T> providerExtension(Class<T> type) {
      return Optional.empty();
    }
  }
}
