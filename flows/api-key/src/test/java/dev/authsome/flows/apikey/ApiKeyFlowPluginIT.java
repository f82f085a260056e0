package dev.authsome.flows.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.AuthFlow;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar is a working PF4J plugin: the real host indexes it and runs its flow from its own class loader. */
class ApiKeyFlowPluginIT {
  @Test
  void packagedJar_isLoadedByThePluginHost_andLogsIn(@TempDir Path home, @TempDir Path bundled) throws IOException {
    Path jar = Path.of(System.getProperty("authsome.plugin.jar"));
    Files.copy(jar, bundled.resolve(jar.getFileName()));

    try (PluginHost host = PluginHost.open(PluginHostConfig.of(home, bundled))) {
      assertThat(host.problems()).isEmpty();
      assertThat(host.flows().ids()).containsExactly("api_key");
      AuthFlow flow = host.flows().flow("api_key").orElseThrow();
      // the host hands out the plugin's flow behind its guard, which names the plugin it came from
      assertThat(flow).hasToString(flow.toString()).asString().startsWith("plugin flow-api_key: ");

      String key = "sk-abcdefghijklmnopqrstuvwxyz123456";
      assertThat(flow.login(new TestFlowContext(TestFlowContext.OPENAI, key)).connection().apiKey()).isEqualTo(key);
    }
  }
}
