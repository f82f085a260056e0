package dev.authsome.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.AuthType;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled catalogue as shipped: every definition passes the bundled validation (https endpoints, flows that fit
 * the auth type, device flow only with a device endpoint, anchored regex routes, valid env names, a docs URL, key
 * patterns that compile), names are unique, and every generated jar loads through the real plugin host, from the
 * prebuilt index and by scanning alike.
 */
class CatalogueIT {
  static final Path SOURCES = Path.of(System.getProperty("authsome.providers.src", "src/main/providers"));
  static final Path JARS = Path.of(System.getProperty("authsome.providers.jars", "target/plugins"));
  static Map<String, ProviderDefinition> definitions;

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      definitions = files.filter(p -> p.toString().endsWith(".yaml")).sorted()
          .map(ProviderDefinitions::read)
          .collect(Collectors.toMap(ProviderDefinition::name, Function.identity()));
    }
  }

  @Test
  void everyDefinition_passesBundledValidation_andIsNamedLikeItsFile() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        ProviderDefinition d = ProviderDefinitions.read(file);
        ProviderDefinitions.validateBundled(d, file.toString(), ProviderDefinitions.BUILTIN_FLOWS);
        assertThat(file.getFileName().toString()).isEqualTo(d.name() + ".yaml");
      }
    }
    assertThat(definitions).hasSizeGreaterThanOrEqualTo(45);
  }

  @Test
  void names_areUniqueIgnoringCase() {
    Set<String> seen = new HashSet<>();
    for (String name : definitions.keySet()) {
      assertThat(seen.add(name.toLowerCase(Locale.ROOT))).as("duplicate provider name %s", name).isTrue();
    }
  }

  @Test
  void everyDefinition_hasAnHttpsDocsPage_andOAuthOnesHaveTheirFlowsEndpoints() {
    for (ProviderDefinition d : definitions.values()) {
      assertThat(d.docsUrl()).as(d.name()).startsWith("https://");
      if (d.authType() == AuthType.OAUTH2) {
        var oauth = d.oauthConfig().orElseThrow();
        if (oauth.supportsDeviceFlow() || d.flow().equals("device_code")) {
          assertThat(oauth.deviceAuthorizationUrl()).as(d.name()).isNotBlank();
        }
        assertThat(oauth.tokenUrl() != null || oauth.issuer() != null).as(d.name()).isTrue();
      } else {
        assertThat(d.flow()).as(d.name()).isEqualTo("api_key");
        assertThat(d.apiKeyConfig()).as(d.name()).isPresent();
      }
      assertThat(d.apiUrls()).as(d.name() + " routes").isNotEmpty();
    }
  }

  @Test
  void everyJar_isListedFromThePrebuiltIndex_withoutOpeningIt_andLoadsThroughPf4j(@TempDir Path home) {
    try (PluginHost host = PluginHost.open(PluginHostConfig.of(home, JARS))) {
      List<ResolvedProvider> listed = host.catalogue().list();
      assertThat(host.problems()).isEmpty();
      assertThat(listed).extracting(ResolvedProvider::name).containsExactlyInAnyOrderElementsOf(definitions.keySet());
      assertThat(listed).allSatisfy(p -> {
        assertThat(p.source()).isEqualTo(ProviderSource.BUNDLED);
        assertThat(p.definition()).isEqualTo(definitions.get(p.name()));
        assertThat(p.origin()).endsWith("provider-" + p.name() + "-0.1.0.jar");
      });
      assertThat(host.loadAll()).isEmpty();
    }
  }

  @Test
  void scanningTheJars_givesTheSameCatalogueAsThePrebuiltIndex(@TempDir Path home, @TempDir Path copy)
      throws IOException {
    try (Stream<Path> jars = Files.list(JARS)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, copy.resolve(jar.getFileName()));
      }
    }
    try (PluginHost host = PluginHost.open(PluginHostConfig.of(home, copy))) {
      assertThat(host.problems()).isEmpty();
      assertThat(host.catalogue().list()).hasSize(definitions.size())
          .allSatisfy(p -> assertThat(p.definition()).isEqualTo(definitions.get(p.name())));
    }
  }
}
