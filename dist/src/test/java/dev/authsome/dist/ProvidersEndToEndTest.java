package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue as a user meets it through {@code bin/authsome}: {@code register --issuer} against a real
 * authorization server (oidc-provider) followed by a real login, {@code inspect --json} saved as a custom file and
 * loaded back unchanged, the listings' filters, and providers with Java quirks shipped as exactly one jar each.
 */
class ProvidersEndToEndTest {
  private static final List<String> QUIRK_PROVIDERS = List.of("github", "slack", "hubspot", "postiz", "tiktok-personal");

  @TempDir Path home;
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
    cli = new Cli(home);
    cli.env.put("BROWSER", "");
    cli.env.put("DISPLAY", "");
    cli.env.put("WAYLAND_DISPLAY", "");
  }

  @Test
  void registerIssuer_thenLogin_withTheDiscoveredDefinition_connects() throws Exception {
    OidcServer.serverDir();
    try (OidcServer server = OidcServer.start()) {
      cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(freePort()));
      cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log"), "--login alice"));

      Result register = cli.run("register", "--issuer", server.issuer());
      Result named = cli.run("register", "--issuer", server.issuer(), "--name", "testidp", "--json");
      Result login = cli.run("login", "127-0-0-1");

      assertThat(register.exit()).as(register.toString()).isZero();
      assertThat(register.out().strip()).isEqualTo("Provider 127-0-0-1 registered.");
      Path file = home.resolve("providers/127-0-0-1.yaml");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).contains("flow: dcr_pkce").contains("issuer: " + server.issuer())
          .contains("registration_endpoint: " + server.issuer() + "/reg").contains("- openid")
          .contains("- offline_access").doesNotContain("api:read");
      assertThat(named.json().get("status").asText()).isEqualTo("registered");
      assertThat(named.json().get("provider").asText()).isEqualTo("testidp");
      assertThat(login.exit()).as(login + approverLog()).isZero();
      JsonNode record = cli.run("get", "127-0-0-1", "--json").json();
      assertThat(record.get("status").asText()).isEqualTo("connected");
      assertThat(record.toString()).contains("alice");
      JsonNode listed = ApiKeyLoginEndToEndTest.find(cli.run("list", "--connected", "--json").json()
          .get("custom"), "127-0-0-1");
      assertThat(listed.get("source").asText()).isEqualTo("custom");
    }
  }

  @Test
  void registerIssuer_badOrUnreachableIssuers_failWithOneLineNamingTheUrl() throws IOException {
    int closed = freePort();

    Result plainHttp = cli.run("register", "--issuer", "http://auth.example.com");
    Result notUrl = cli.run("register", "--issuer", "auth.example.com");
    Result unreachable = cli.run("register", "--issuer", "http://127.0.0.1:" + closed);
    Result both = cli.run("register", "--issuer", "https://auth.example.com", "some.yaml");

    assertThat(plainHttp.exit()).isEqualTo(2);
    assertThat(plainHttp.err()).contains("https").contains("http://auth.example.com");
    assertThat(notUrl.exit()).isEqualTo(2);
    assertThat(unreachable.exit()).as(unreachable.toString()).isEqualTo(1);
    assertThat(unreachable.err()).contains("Cannot reach the issuer http://127.0.0.1:" + closed);
    assertThat(unreachable.err().strip().lines().count()).isEqualTo(1);
    assertThat(both.exit()).isEqualTo(2);
    assertThat(home.resolve("providers")).doesNotExist();
  }

  @Test
  void inspectJson_savedAsCustomFile_loadsBackUnchanged_andShadowsTheBundledJarWithAWarning() throws IOException {
    Result bundled = cli.run("inspect", "github", "--json");
    assertThat(bundled.exit()).as(bundled.toString()).isZero();
    assertThat(bundled.json().get("source").asText()).isEqualTo("bundled");
    assertThat(bundled.json().get("origin").asText()).contains("authsome-provider-github").endsWith(".jar");
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/github.json"), bundled.out());

    Result custom = cli.run("inspect", "github", "--json");

    assertThat(custom.exit()).as(custom.toString()).isZero();
    assertThat(custom.json().get("source").asText()).isEqualTo("custom");
    assertThat(custom.json().get("origin").asText()).isEqualTo(home.resolve("providers/github.json").toString());
    assertThat(custom.json().get("shadowed").get(0).asText()).contains("authsome-provider-github");
    assertThat(definitionOnly(custom.json())).isEqualTo(definitionOnly(bundled.json()));
    assertThat(custom.err()).contains("Warning: Provider 'github' from " + home.resolve("providers/github.json")
        + " shadows the definition in ").contains("authsome-provider-github");
    assertThat(definitionOnly(custom.json()).get("api_url").toString()).contains("api.github.com");
  }

  @Test
  void list_filtersByTextAndConnection_andShowsAccountColumns() {
    Result google = cli.run("list", "GOOGLE", "--json");
    Result none = cli.run("list", "--connected", "--json");
    Result login = cli.feed("sk-" + "a".repeat(40) + "\n", "login", "openai", "--stdin");
    Result connected = cli.run("list", "--connected", "--json");
    Result text = cli.run("list", "openai");

    assertThat(google.exit()).as(google.toString()).isZero();
    List<JsonNode> matches = new ArrayList<>();
    google.json().get("bundled").forEach(matches::add);
    google.json().get("custom").forEach(matches::add);
    assertThat(matches).isNotEmpty().allSatisfy(p -> assertThat(p.get("name").asText() + " "
        + p.get("display_name").asText()).containsIgnoringCase("google"));
    assertThat(none.json().get("bundled")).isEmpty();
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(connected.json().get("bundled")).hasSize(1);
    assertThat(connected.json().get("bundled").get(0).get("name").asText()).isEqualTo("openai");
    assertThat(text.out()).contains("Provider").contains("Name").contains("Account").contains("openai")
        .contains("OpenAI").contains("bundled").contains("connected").doesNotContain("anthropic");
  }

  @Test
  void providersWithQuirks_shipExactlyOneJarEach_andListOnce() throws IOException {
    List<String> jars;
    try (var files = Files.list(Cli.DIST.resolve("plugins"))) {
      jars = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".jar")).toList();
    }
    for (String name : QUIRK_PROVIDERS) {
      assertThat(jars).as(name).filteredOn(j -> j.equals("authsome-provider-" + name + "-0.1.0.jar")
          || j.equals("provider-" + name + "-0.1.0.jar")).containsExactly("authsome-provider-" + name + "-0.1.0.jar");
    }
    // the prebuilt index describes every jar in plugins/: no provider name may come from two jars
    JsonNode index = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        Cli.DIST.resolve("plugins/index.json").toFile());
    Set<String> names = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (JsonNode jar : index.get("jars")) {
      JsonNode provider = jar.get("provider");
      if (provider != null && !provider.isNull() && !names.add(provider.get("name").asText())) {
        duplicates.add(provider.get("name").asText());
      }
      if (provider != null && !provider.isNull() && QUIRK_PROVIDERS.contains(provider.get("name").asText())) {
        assertThat(jar.get("extensions").asBoolean()).as(jar.toString()).isTrue();
      }
    }
    assertThat(duplicates).isEmpty();
    assertThat(names).containsAll(QUIRK_PROVIDERS).hasSizeGreaterThanOrEqualTo(250);
    for (String name : QUIRK_PROVIDERS) {
      Result inspect = cli.run("inspect", name, "--json");
      assertThat(inspect.json().get("source").asText()).isEqualTo("bundled");
      assertThat(inspect.json().has("shadowed")).as(name).isFalse();
    }
  }

  @Test
  void list_withTheFullCatalogue_measured() {
    cli.run("list");
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long started = System.nanoTime();
      Result r = cli.run("list");
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).contains("github");
    }
    Collections.sort(millis);
    System.out.println("MEASURE list with the full catalogue, median of 5 after a warm-up: " + millis.get(2) + " ms "
        + millis);
  }

  private static JsonNode definitionOnly(JsonNode inspect) {
    ObjectNode copy = inspect.deepCopy();
    copy.remove(List.of("source", "origin", "shadowed", "connections"));
    return copy;
  }

  private String approverLog() throws IOException {
    Path log = tmp.resolve("approver.log");
    return Files.exists(log) ? Files.readString(log) : "(no approver log)";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
