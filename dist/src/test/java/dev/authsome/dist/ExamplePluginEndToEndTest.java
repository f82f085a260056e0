package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party example of {@code examples/provider-example} (see docs/write-a-provider-plugin.md), installed the
 * way its docs say: copy the jar into {@code $AUTHSOME_HOME/plugins/}, then log in with it. The distribution itself
 * does not ship it.
 */
class ExamplePluginEndToEndTest {
  static final Path EXAMPLE_JAR = Path.of(System.getProperty("authsome.example.plugin",
      "../examples/provider-example/target/provider-exampleco-0.1.0.jar"));

  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
    cli = new Cli(home);
  }

  @Test
  void exampleProviderJar_isNotShipped_butDroppedIntoTheHome_logsInWithoutRebuild() throws IOException {
    Result before = cli.run("login", "exampleco", "--stdin");
    assertThat(before.exit()).as(before.toString()).isEqualTo(3);

    Files.createDirectories(home.resolve("plugins"));
    Files.copy(EXAMPLE_JAR, home.resolve("plugins").resolve(EXAMPLE_JAR.getFileName()));

    JsonNode listed = ApiKeyLoginEndToEndTest.find(cli.run("list", "--json").json().get("custom"), "exampleco");
    assertThat(listed.get("source").asText()).isEqualTo("plugin");

    Result wrong = cli.feed("not-an-exampleco-key\n", "login", "exampleco", "--stdin");
    assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(4);
    assertThat(wrong.err()).contains("Example Co keys start with exco_").doesNotContain("not-an-exampleco-key");

    Result login = cli.feed("exco_0123456789abcdefXYZ\n", "login", "exampleco", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(cli.run("get", "exampleco", "--field", "status").out().strip()).isEqualTo("connected");
    Result export = cli.run("export", "exampleco", "--format", "json");
    assertThat(export.json().get("EXAMPLECO_API_KEY").asText()).isEqualTo("exco_0123456789abcdefXYZ");
  }
}
