package dev.authsome.plugins;

import static dev.authsome.plugins.TestJars.apiKeyProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.plugins.internal.HostState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {
  @TempDir Path home;
  @TempDir Path bundled;

  @BeforeEach
  void noStaleIndex() throws IOException {
    Files.createDirectories(home.resolve("plugins"));
  }

  private PluginHost open() {
    return PluginHost.open(PluginHostConfig.of(home, bundled));
  }

  private static List<String> names(PluginHost host) {
    return host.catalogue().list().stream().map(ResolvedProvider::name).toList();
  }

  @Test
  void dropInProviderJar_isUsableWithoutRebuild() {
    try (PluginHost host = open()) {
      assertThat(host.catalogue().find("acme")).isEmpty();
    }
    TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(home.resolve("plugins/provider-acme.jar"));

    try (PluginHost host = open()) {
      ResolvedProvider acme = host.catalogue().find("acme").orElseThrow();
      assertThat(acme.source()).isEqualTo(ProviderSource.PLUGIN);
      assertThat(acme.definition().displayName()).isEqualTo("Acme");
      assertThat(acme.origin()).endsWith("provider-acme.jar");
      assertThat(names(host)).containsExactly("acme");
      assertThat(host.problems()).isEmpty();
    }
  }

  @Test
  void customFile_beatsDropInJar_whichBeatsBundledJar_andEachShadowIsNamed() throws IOException {
    TestJars.provider("acme", apiKeyProvider("acme", "Bundled Acme")).writeTo(bundled.resolve("provider-acme.jar"));
    TestJars.provider("acme", apiKeyProvider("acme", "Plugin Acme")).writeTo(home.resolve("plugins/acme.jar"));
    Path custom = home.resolve("providers/acme.yaml");
    Files.createDirectories(custom.getParent());
    Files.writeString(custom, apiKeyProvider("acme", "Custom Acme"));

    try (PluginHost host = open()) {
      ResolvedProvider acme = host.catalogue().find("acme").orElseThrow();
      assertThat(acme.source()).isEqualTo(ProviderSource.CUSTOM);
      assertThat(acme.definition().displayName()).isEqualTo("Custom Acme");
      assertThat(acme.shadowed()).hasSize(2);
      assertThat(host.catalogue().warnings())
          .anySatisfy(w -> assertThat(w).contains(custom.toString()).contains("acme.jar").contains("plugin"))
          .anySatisfy(w -> assertThat(w).contains("provider-acme.jar").contains("bundled"));
    }
    Files.delete(custom);
    try (PluginHost host = open()) {
      assertThat(host.catalogue().find("acme").orElseThrow().definition().displayName()).isEqualTo("Plugin Acme");
    }
    Files.delete(home.resolve("plugins/acme.jar"));
    try (PluginHost host = open()) {
      ResolvedProvider acme = host.catalogue().find("acme").orElseThrow();
      assertThat(acme.source()).isEqualTo(ProviderSource.BUNDLED);
      assertThat(acme.shadowed()).isEmpty();
    }
  }

  @Test
  void twoUserFilesForOneName_failLookupNamingBoth_andListingSkipsThem() throws IOException {
    TestJars.provider("acme", apiKeyProvider("acme", "Bundled Acme")).writeTo(bundled.resolve("provider-acme.jar"));
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/acme.yaml"), apiKeyProvider("acme", "Yaml Acme"));
    Files.writeString(home.resolve("providers/acme.json"), "{\"name\":\"acme\"}");

    try (PluginHost host = open()) {
      assertThatThrownBy(() -> host.catalogue().find("acme"))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER))
          .hasMessageContaining("acme.yaml").hasMessageContaining("acme.json");
      List<ResolvedProvider> listed = host.catalogue().list();
      assertThat(listed).singleElement().satisfies(p -> assertThat(p.source()).isEqualTo(ProviderSource.BUNDLED));
      assertThat(host.catalogue().warnings()).anySatisfy(w -> assertThat(w).contains("acme.yaml", "acme.json"));
    }
  }

  @Test
  void invalidUserFile_isSkippedByListing_butDirectLookupRaisesInvalidProvider() throws IOException {
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/broken.yaml"),
        apiKeyProvider("broken", "Broken").replace("api.broken.example.com", "'http://api.broken.example.com'"));
    Files.writeString(home.resolve("providers/fine.yaml"), apiKeyProvider("fine", "Fine"));

    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("fine");
      assertThat(host.catalogue().warnings()).anySatisfy(w -> assertThat(w).contains("broken.yaml", "api_url"));
      assertThatThrownBy(() -> host.catalogue().find("broken"))
          .isInstanceOfSatisfying(AuthsomeException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER))
          .hasMessageContaining("broken.yaml").hasMessageContaining("http://api.broken.example.com");
    }
  }

  @Test
  void brokenJars_areSkippedAndReported_whileOtherPluginsKeepWorking() throws IOException {
    Files.write(home.resolve("plugins/garbage.jar"), new byte[] {1, 2, 3, 4, 5});
    TestJars.plugin("no-manifest-id").manifest("Plugin-Id", " ").entry("provider.yaml", apiKeyProvider("x", "X"))
        .writeTo(home.resolve("plugins/no-id.jar"));
    TestJars.provider("bad", "name: bad\nauth_type: [\n").writeTo(bundled.resolve("provider-bad.jar"));
    TestJars.provider("http", apiKeyProvider("http", "Http").replace("https://docs", "http://docs"))
        .writeTo(bundled.resolve("provider-http.jar"));
    TestJars.provider("good", apiKeyProvider("good", "Good")).writeTo(bundled.resolve("provider-good.jar"));
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(bundled.resolve("flow-echo.jar"));

    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("good");
      assertThat(host.flows().flow("echo")).isPresent();
      assertThat(host.problems()).extracting(PluginProblem::origin).anySatisfy(o -> assertThat(o).endsWith(
          "garbage.jar")).anySatisfy(o -> assertThat(o).endsWith("no-id.jar")).anySatisfy(o -> assertThat(o)
          .endsWith("provider-bad.jar")).anySatisfy(o -> assertThat(o).endsWith("provider-http.jar"));
      assertThat(host.problems()).filteredOn(p -> p.origin().endsWith("provider-bad.jar")).singleElement()
          .satisfies(p -> assertThat(p.plugin()).contains("provider-bad"));
      assertThat(host.catalogue().warnings()).anySatisfy(w -> assertThat(w).contains("garbage.jar"));
    }
  }

  @Test
  void flowJar_isLoadedOnlyWhenItsFlowIsAskedFor_throughPf4j() {
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(home.resolve("plugins/flow-echo.jar"));
    TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(bundled.resolve("provider-acme.jar"));
    HostState.class.getName();

    try (PluginHost host = open()) {
      assertThat(host.flows().ids()).containsExactly("echo");
      host.catalogue().list();
      assertThat(host.plugins()).extracting(PluginInfo::id).containsExactlyInAnyOrder("flow-echo", "provider-acme");
      AuthFlow echo = host.flows().flow("echo").orElseThrow();
      assertThat(echo.id()).isEqualTo("echo");
      assertThat(echo.description()).contains("PluginClassLoader");
      assertThat(host.flows().flow("nope")).isEmpty();
      assertThatThrownBy(() -> echo.login(null)).isInstanceOfSatisfying(AuthsomeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
      assertThatThrownBy(() -> echo.refresh(null, null)).isInstanceOfSatisfying(AuthsomeException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.UNEXPECTED))
          .hasMessageContaining("flow-echo").hasMessageContaining("refresh exploded");
    }
  }

  @Test
  void flowWhoseClassFailsToLoad_failsOnlyThatFlow_andIsReported() {
    TestJars.plugin("flow-ghost").flows("ghost").missingExtension("t.GhostFlow")
        .writeTo(home.resolve("plugins/flow-ghost.jar"));
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(home.resolve("plugins/flow-echo.jar"));

    try (PluginHost host = open()) {
      assertThatThrownBy(() -> host.flows().flow("ghost")).isInstanceOf(AuthsomeException.class)
          .hasMessageContaining("flow-ghost").hasMessageContaining("ghost");
      assertThat(host.flows().flow("echo").orElseThrow().id()).isEqualTo("echo");
      assertThat(host.problems()).anySatisfy(p -> assertThat(p.plugin()).contains("flow-ghost"));
    }
  }

  @Test
  void providerExtension_isLoadedFromTheProvidersJar_onDemand() {
    TestJars.provider("acme", apiKeyProvider("acme", "Acme"))
        .extension("q.AcmeQuirk", """
            package q;
            public class AcmeQuirk implements java.util.function.Supplier<String> {
              public String get() { return "acme quirk"; }
            }
            """).writeTo(bundled.resolve("provider-acme.jar"));
    TestJars.provider("plain", apiKeyProvider("plain", "Plain")).writeTo(bundled.resolve("provider-plain.jar"));

    try (PluginHost host = open()) {
      @SuppressWarnings("unchecked")
      Supplier<String> quirk = host.catalogue().extension("acme", Supplier.class).orElseThrow();
      assertThat(quirk.get()).isEqualTo("acme quirk");
      assertThat(host.catalogue().extension("acme", Runnable.class)).isEmpty();
      assertThat(host.catalogue().extension("plain", Supplier.class)).isEmpty();
    }
  }

  @Test
  void secondOpen_readsTheIndex_andOpensNoJar() throws IOException {
    Path jar = TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(home.resolve("plugins/acme.jar"));
    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("acme");
    }
    // Same size and modification time but unreadable content: only a host that trusts its index still sees acme.
    FileTime mtime = Files.getLastModifiedTime(jar);
    byte[] garbage = new byte[(int) Files.size(jar)];
    new Random(1).nextBytes(garbage);
    Files.write(jar, garbage);
    Files.setLastModifiedTime(jar, mtime);
    int opened = HostState.jarsOpened();

    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("acme");
      assertThat(host.problems()).isEmpty();
    }
    assertThat(HostState.jarsOpened()).isEqualTo(opened);
  }

  @Test
  void changedJar_isIndexedAgain() throws IOException {
    Path jar = TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(home.resolve("plugins/acme.jar"));
    try (PluginHost host = open()) {
      assertThat(host.catalogue().find("acme").orElseThrow().definition().displayName()).isEqualTo("Acme");
    }
    FileTime before = Files.getLastModifiedTime(jar);
    TestJars.provider("acme", apiKeyProvider("acme", "Acme Two")).writeTo(jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(before.toMillis() + 2000));

    try (PluginHost host = open()) {
      assertThat(host.catalogue().find("acme").orElseThrow().definition().displayName()).isEqualTo("Acme Two");
    }
  }

  @Test
  void bundledPrebuiltIndex_spareAFreshHomeFromOpeningJars_andMismatchFallsBackToScanning() throws IOException {
    for (int i = 0; i < 5; i++) {
      TestJars.provider("p" + i, apiKeyProvider("p" + i, "P" + i)).writeTo(bundled.resolve("provider-p" + i + ".jar"));
    }
    assertThat(PluginHost.writeBundledIndex(bundled)).isEmpty();
    // a jar replaced after packaging (different size) must not be described by the stale prebuilt entry
    TestJars.provider("p0", apiKeyProvider("p0", "P0 replaced with a longer name")).writeTo(
        bundled.resolve("provider-p0.jar"));
    int opened = HostState.jarsOpened();

    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("p0", "p1", "p2", "p3", "p4");
      assertThat(host.catalogue().find("p0").orElseThrow().definition().displayName()).contains("replaced");
    }
    assertThat(HostState.jarsOpened() - opened).isEqualTo(1);
  }

  @Test
  void bundledPrebuiltIndex_marksWhatTheBuildValidated_andTheInstalledFlowsAreStillCheckedAtEachOpen()
      throws IOException {
    TestJars.provider("good", apiKeyProvider("good", "Good")).writeTo(bundled.resolve("provider-good.jar"));
    TestJars.provider("http", apiKeyProvider("http", "Http").replace("https://docs", "http://docs"))
        .writeTo(bundled.resolve("provider-http.jar"));
    TestJars.provider("echoer", apiKeyProvider("echoer", "Echoer").replace("flow: api_key", "flow: echo"))
        .writeTo(bundled.resolve("provider-echoer.jar"));
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(bundled.resolve("flow-echo.jar"));
    assertThat(PluginHost.writeBundledIndex(bundled)).isEmpty();
    Map<String, Object> validated = new TreeMap<>();
    for (JsonNode jar : new ObjectMapper().readTree(bundled.resolve("index.json").toFile()).get("jars")) {
      validated.put(jar.get("path").asText(), jar.path("validated").asBoolean(false));
    }
    assertThat(validated).containsExactly(Map.entry("flow-echo.jar", false), Map.entry("provider-echoer.jar", true),
        Map.entry("provider-good.jar", true), Map.entry("provider-http.jar", false));

    try (PluginHost host = open()) {
      // the build found provider-http invalid: it is validated, and refused, at run time as before
      assertThat(names(host)).containsExactly("echoer", "good");
      assertThat(host.problems()).singleElement().satisfies(p -> {
        assertThat(p.origin()).endsWith("provider-http.jar");
        assertThat(p.message()).contains("docs_url", "http://docs.example.com/http");
      });
    }

    // the flow an entry was validated with is gone: its definition no longer fits, whatever the index says
    Files.delete(bundled.resolve("flow-echo.jar"));
    Files.delete(home.resolve("cache/plugin-index.json"));
    try (PluginHost host = open()) {
      assertThat(names(host)).containsExactly("good");
      assertThat(host.problems()).anySatisfy(p -> {
        assertThat(p.origin()).endsWith("provider-echoer.jar");
        assertThat(p.message()).contains("'echo'", "installed third-party flow");
      });
    }
  }

  @Test
  void indexFile_isPrivateToTheUser() throws IOException {
    TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(home.resolve("plugins/acme.jar"));
    try (PluginHost host = open()) {
      host.catalogue().list();
    }
    Path index = home.resolve("cache/plugin-index.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(index))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(index.getParent())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(index)).contains("\"format\":1").contains("provider-acme");
  }

  @Test
  void loadAll_loadsEveryPluginThroughPf4j_andADropInReplacingABundledIdIsNoProblem() {
    TestJars.provider("acme", apiKeyProvider("acme", "Bundled")).writeTo(bundled.resolve("provider-acme.jar"));
    TestJars.provider("acme", apiKeyProvider("acme", "Newer")).writeTo(home.resolve("plugins/provider-acme-2.jar"));
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(bundled.resolve("flow-echo.jar"));
    TestJars.plugin("flow-ghost").flows("ghost").missingExtension("t.GhostFlow")
        .writeTo(bundled.resolve("flow-ghost.jar"));

    try (PluginHost host = open()) {
      assertThat(host.loadAll()).singleElement().satisfies(p -> {
        assertThat(p.plugin()).contains("flow-ghost");
        assertThat(p.message()).contains("t.GhostFlow");
      });
      assertThat(host.catalogue().find("acme").orElseThrow().definition().displayName()).isEqualTo("Newer");
    }
  }

  @Test
  void readOnlyConfiguration_leavesTheHomeUntouched() {
    TestJars.provider("acme", apiKeyProvider("acme", "Acme")).writeTo(home.resolve("plugins/acme.jar"));
    try (PluginHost host = PluginHost.open(new PluginHostConfig(home, null, false))) {
      assertThat(names(host)).containsExactly("acme");
    }
    assertThat(home.resolve("cache")).doesNotExist();
  }

  /** A flow that reaches into core's internals from its constructor, as a plugin reading the home itself would. */
  private static final String PEEKING_FLOW = """
      package t;
      import dev.authsome.core.*;
      import dev.authsome.core.spi.*;
      import java.util.Set;
      public class PeekFlow implements AuthFlow {
        private final Object home = new dev.authsome.core.internal.Home(java.nio.file.Path.of("/tmp/peek")).root();
        public String id() { return "peek"; }
        public Set<AuthType> authTypes() { return Set.of(AuthType.API_KEY); }
        public String description() { return "peeks at " + home; }
        public FlowResult login(FlowContext context) { throw new IllegalStateException("unreachable"); }
        public ConnectionRecord refresh(FlowContext context, ConnectionRecord current) { return current; }
      }
      """;

  @Test
  void pluginUsingCoreInternals_isRefusedWithTheReason_whileAWellBehavedPluginLoads() {
    TestJars.plugin("flow-peek").flows("peek").extension("t.PeekFlow", PEEKING_FLOW)
        .writeTo(home.resolve("plugins/flow-peek.jar"));
    // a plugin's own package may start with dev.authsome. too, as the bundled flows' do
    TestJars.plugin("flow-echo").flows("echo")
        .extension("dev.authsome.flow.echo.EchoFlow", TestJars.flowSource("dev.authsome.flow.echo.EchoFlow", "echo"))
        .writeTo(home.resolve("plugins/flow-echo.jar"));

    try (PluginHost host = open()) {
      assertThatThrownBy(() -> host.flows().flow("peek")).isInstanceOf(AuthsomeException.class)
          .hasMessageContaining("flow-peek")
          .hasMessageContaining("dev.authsome.core.internal.Home is in package dev.authsome.core.internal, which is"
              + " internal to authsome")
          .hasMessageContaining("plugins must use the dev.authsome.core.spi API");
      assertThat(host.problems()).filteredOn(p -> "flow-peek".equals(p.pluginId())).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("internal to authsome", "dev.authsome.core.spi"));
      assertThat(host.flows().flow("echo").orElseThrow().description()).contains("PluginClassLoader");
    }
  }

  @Test
  void loadAll_reportsEachPluginThatLinksAgainstInternals_includingOneThatSmugglesAClassIntoAnInternalPackage() {
    TestJars.provider("nosy", apiKeyProvider("nosy", "Nosy")).extension("q.NosyQuirk", """
        package q;
        public class NosyQuirk implements java.util.function.Supplier<String> {
          static final Class<?> CONFIG = dev.authsome.core.internal.ConfigFile.class;
          public String get() { return CONFIG.getName(); }
        }
        """).writeTo(bundled.resolve("provider-nosy.jar"));
    TestJars.provider("split", apiKeyProvider("split", "Split")).extension("dev.authsome.core.internal.Backdoor", """
        package dev.authsome.core.internal;
        public class Backdoor implements java.util.function.Supplier<String> {
          public String get() { return "package-private access to core"; }
        }
        """).writeTo(bundled.resolve("provider-split.jar"));
    TestJars.provider("acme", apiKeyProvider("acme", "Acme")).extension("q.AcmeQuirk", """
        package q;
        public class AcmeQuirk implements java.util.function.Supplier<String> {
          public String get() { return dev.authsome.core.ProviderDefinition.class.getSimpleName(); }
        }
        """).writeTo(bundled.resolve("provider-acme.jar"));

    try (PluginHost host = open()) {
      assertThat(host.loadAll()).extracting(PluginProblem::pluginId)
          .containsExactlyInAnyOrder("provider-nosy", "provider-split");
      assertThat(host.problems()).filteredOn(p -> "provider-nosy".equals(p.pluginId())).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("dev.authsome.core.internal.ConfigFile",
              "internal to authsome", "dev.authsome.core.spi"));
      assertThat(host.problems()).filteredOn(p -> "provider-split".equals(p.pluginId())).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("dev.authsome.core.internal.Backdoor",
              "internal to authsome"));
      @SuppressWarnings("unchecked")
      Supplier<String> quirk = host.catalogue().extension("acme", Supplier.class).orElseThrow();
      assertThat(quirk.get()).isEqualTo("ProviderDefinition");
    }
  }
}
