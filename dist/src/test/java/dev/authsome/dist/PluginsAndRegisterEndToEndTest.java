package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extending authsome without rebuilding it: a drop-in provider jar, and {@code register FILE}. */
class PluginsAndRegisterEndToEndTest {
  static final String ACME = """
      schema_version: 1
      name: acme-e2e
      display_name: Acme E2E
      docs_url: https://docs.acme.example/keys
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: X-Acme-Key
        header_prefix: ""
        key_pattern: '^acme_[a-z0-9]{8,}$'
        key_pattern_hint: Acme keys start with acme_
      api_url:
        - api.acme.example
      export:
        ACME_KEY: api_key
      """;

  @TempDir Path home;
  @TempDir Path work;
  Cli cli;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
    cli = new Cli(home);
  }

  @Test
  void providerJarDroppedIntoHomePlugins_isListedAsPlugin_andUsable() throws IOException {
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    writeProviderJar(plugins.resolve("provider-acme-e2e-1.0.0.jar"), "acme-e2e", ACME);

    Result list = cli.run("list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    JsonNode acme = ApiKeyLoginEndToEndTest.find(list.json().get("custom"), "acme-e2e");
    assertThat(acme.get("source").asText()).isEqualTo("plugin");

    Result login = cli.feed("acme_12345678\n", "login", "acme-e2e", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    Result export = cli.run("export", "acme-e2e", "--format", "json");
    assertThat(export.json().get("ACME_KEY").asText()).isEqualTo("acme_12345678");
    Result inspect = cli.run("inspect", "acme-e2e");
    assertThat(inspect.json().get("source").asText()).isEqualTo("plugin");
    assertThat(inspect.json().get("connections").get(0).get("connection_name").asText()).isEqualTo("default");
  }

  static void writeProviderJar(Path jar, String name, String yaml) throws IOException {
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", "provider-" + name);
    a.putValue("Plugin-Version", "1.0.0");
    a.putValue("Plugin-Provider", "e2e test");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf)) {
      out.putNextEntry(new JarEntry("provider.yaml"));
      out.write(yaml.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }

  @Test
  void register_validFile_addsCustomProvider_secondTimeNeedsForce() throws IOException {
    Path file = Files.writeString(work.resolve("acme.yaml"), ACME);
    Result r = cli.run("register", file.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("acme-e2e");
    assertThat(home.resolve("providers/acme-e2e.yaml")).exists();
    JsonNode acme = ApiKeyLoginEndToEndTest.find(cli.run("list", "--json").json().get("custom"), "acme-e2e");
    assertThat(acme.get("source").asText()).isEqualTo("custom");

    Result again = cli.run("register", file.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("--force");
    assertThat(cli.run("register", file.toString(), "--force").exit()).isZero();
  }

  @Test
  void register_invalidFiles_exit2WithTheReason() throws IOException {
    Path http = Files.writeString(work.resolve("bad-http.yaml"), """
        schema_version: 1
        name: bad-http
        display_name: Bad
        docs_url: https://docs.example.com
        auth_type: oauth2
        flow: pkce
        oauth:
          authorization_url: http://auth.example.com/authorize
          token_url: https://auth.example.com/token
        """);
    Result r = cli.run("register", http.toString());
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("http://auth.example.com/authorize");

    Path badName = Files.writeString(work.resolve("bad-name.yaml"), ACME.replace("name: acme-e2e", "name: ../evil"));
    Result name = cli.run("register", badName.toString());
    assertThat(name.exit()).as(name.toString()).isEqualTo(2);
    assertThat(name.err()).contains("../evil");

    Path notYaml = Files.writeString(work.resolve("broken.yaml"), "name: [unclosed");
    assertThat(cli.run("register", notYaml.toString()).exit()).isEqualTo(2);

    Result missing = cli.run("register", work.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml");
    assertThat(home.resolve("providers")).doesNotExist();
  }

  @Test
  void register_withNeitherOrBothSources_exit2SayingWhich() throws IOException {
    Result neither = cli.run("register");
    assertThat(neither.exit()).as(neither.toString()).isEqualTo(2);
    assertThat(neither.err().strip())
        .isEqualTo("Error: Nothing to register: pass a definition FILE or --issuer URL; see 'authsome register --help'.");

    Path file = Files.writeString(work.resolve("acme.yaml"), ACME);
    Result both = cli.run("register", file.toString(), "--issuer", "https://issuer.example.com");
    assertThat(both.exit()).as(both.toString()).isEqualTo(2);
    assertThat(both.err()).contains("not both");
    assertThat(home.resolve("providers")).doesNotExist();
  }

  @Test
  void distribution_startsOnTheModulePath() {
    cli.env.put("AUTHSOME_LAUNCH", "module");
    Result version = cli.run("--version");
    assertThat(version.exit()).as(version.toString()).isZero();
    assertThat(version.out().strip()).isEqualTo("authsome 0.1.0");
    Result list = cli.run("list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    ApiKeyLoginEndToEndTest.find(list.json().get("bundled"), "openai");
  }
}
