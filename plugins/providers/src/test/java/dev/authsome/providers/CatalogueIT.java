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
import java.util.TreeMap;
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
  /** The plugins/ directory, whose provider-NAME modules carry a provider.yaml with their quirks. */
  static final Path PLUGINS = Path.of(System.getProperty("authsome.plugins.dir", ".."));
  static Map<String, ProviderDefinition> definitions;
  /** The catalogue's definitions plus those of the quirk plugins: the rules below hold for all of them. */
  static Map<String, ProviderDefinition> everything;

  @BeforeAll
  static void readSources() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      definitions = files.filter(p -> p.toString().endsWith(".yaml")).sorted()
          .map(ProviderDefinitions::read)
          .collect(Collectors.toMap(ProviderDefinition::name, Function.identity()));
    }
    everything = new TreeMap<>(definitions);
    try (Stream<Path> modules = Files.list(PLUGINS)) {
      for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("provider-")).toList()) {
        Path file = module.resolve("src/main/resources/provider.yaml");
        if (Files.exists(file)) {
          ProviderDefinition d = ProviderDefinitions.read(file);
          assertThat(everything.put(d.name(), d)).as("plugin %s repeats a catalogue name", d.name()).isNull();
        }
      }
    }
    assertThat(everything.size()).as("quirk plugins found under " + PLUGINS).isGreaterThan(definitions.size());
  }

  /** Rows of a tab-separated test resource (comment lines and the header left out). */
  static List<String[]> table(String resource) throws IOException {
    try (var in = CatalogueIT.class.getResourceAsStream("/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("name\t"))
          .map(l -> l.split("\t")).toList();
    }
  }

  @Test
  void everyDefinition_citesTheDocumentationBehindIt() {
    assertThat(everything.values()).allSatisfy(d -> {
      assertThat(d.sources()).as("%s: sources", d.name()).isNotEmpty()
          .allSatisfy(url -> assertThat(url).as(d.name()).startsWith("https://"));
      ProviderDefinitions.validateBundled(d, d.name(), ProviderDefinitions.BUILTIN_FLOWS);
    });
  }

  @Test
  void everyOAuthDefinition_statesHowTheClientAuthenticates() {
    assertThat(everything.values()).filteredOn(d -> d.authType() == AuthType.OAUTH2).allSatisfy(d ->
        assertThat(d.oauth().tokenEndpointAuthMethod()).as("%s: oauth.token_endpoint_auth_method", d.name())
            .isIn("client_secret_post", "client_secret_basic", "none"));
  }

  @Test
  void everyDefinition_followsItsFamilysRules() {
    assertThat(everything.values()).allSatisfy(d ->
        assertThat(ProviderFamilies.problems(d)).as(d.name()).isEmpty());
    // the families are recognised at all: Google, Microsoft and Atlassian entries exist
    assertThat(everything.values()).anyMatch(ProviderFamilies::isGoogle).anyMatch(ProviderFamilies::isMicrosoft)
        .anyMatch(ProviderFamilies::isAtlassianCloud);
  }

  @Test
  void providersThatJoinScopesDifferently_stateTheirSeparator() throws IOException {
    int checked = 0;
    for (String[] row : table("scope-separators.tsv")) {
      ProviderDefinition d = everything.get(row[0]);
      if (d == null || d.oauth() == null) {
        continue;
      }
      checked++;
      assertThat(d.oauth().scopeSeparator()).as("%s: oauth.scope_separator (%s)", d.name(), row[2])
          .isEqualTo(row[1]);
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  @Test
  void providersWithSeveralDocumentedHosts_routeThemAll() throws IOException {
    for (String[] row : table("api-hosts.tsv")) {
      ProviderDefinition d = everything.get(row[0]);
      assertThat(d).as("%s in the catalogue", row[0]).isNotNull();
      assertThat(d.apiUrls()).as("%s: api_url (%s)", d.name(), row[2])
          .anyMatch(u -> u.equals(row[1]) || u.startsWith("https://" + row[1] + "/") || u.equals("https://" + row[1]));
    }
  }

  @Test
  void familyRules_catchTheErrorsTheyAreFor() {
    ProviderDefinition drive = everything.get("google-drive");
    var o = drive.oauth();
    Map<String, Object> wide = new java.util.HashMap<>(o.extra());
    wide.put("device_scopes", List.of("openid", "https://www.googleapis.com/auth/drive"));
    ProviderDefinition broken = new ProviderDefinition(drive.schemaVersion(), drive.name(), drive.displayName(),
        drive.description(), drive.logo(), drive.docsUrl(), drive.authType(), drive.flow(),
        new ProviderDefinition.OAuthConfig(o.authorizationUrl(), o.tokenUrl(), o.revocationUrl(),
            o.deviceAuthorizationUrl(), o.registrationEndpoint(), o.userinfoUrl(), o.issuer(), o.deviceTokenRequest(),
            o.scopes(), o.baseUrl(), o.pkce(), true, o.supportsDcr(), o.tokenEndpointAuthMethod(),
            o.authorizeParams(), wide),
        drive.apiKey(), drive.export(), drive.apiUrls(), drive.metadata(), drive.extra());
    assertThat(ProviderFamilies.problems(broken)).singleElement().asString().contains("auth/drive'");
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
