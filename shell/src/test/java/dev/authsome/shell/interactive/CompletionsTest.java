package dev.authsome.shell.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProviderDefinitions;
import dev.authsome.core.ProviderSource;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.shell.App;
import dev.authsome.shell.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion over the real command model, with a catalogue and flows given by hand. */
class CompletionsTest {
  @TempDir Path home;
  private Session session;
  private Completions completions;

  @BeforeEach
  void setUp() {
    List<ResolvedProvider> providers = List.of(provider("openai", "OpenAI"), provider("openrouter", "OpenRouter"),
        provider("github", "GitHub"));
    App.Plugins plugins = new App.Plugins() {
      @Override
      public ProviderCatalogue catalogue() {
        return new ProviderCatalogue() {
          @Override
          public Optional<ResolvedProvider> find(String name) {
            return providers.stream().filter(p -> p.name().equals(name)).findFirst();
          }

          @Override
          public List<ResolvedProvider> list() {
            return providers;
          }

          @Override
          public List<String> warnings() {
            return List.of();
          }
        };
      }

      @Override
      public FlowRegistry flows() {
        return new FlowRegistry() {
          @Override
          public SortedSet<String> ids() {
            return new TreeSet<>(List.of("api_key", "device_code"));
          }

          @Override
          public Optional<AuthFlow> flow(String id) {
            return Optional.empty();
          }
        };
      }

      @Override
      public List<String> problems() {
        return List.of();
      }

      @Override
      public void close() {
      }
    };
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    session = Session.open(new Session.Config(new ByteArrayInputStream(new byte[0]), sink, sink,
        Map.of("AUTHSOME_HOME", home.toString(), "AUTHSOME_VAULT", "memory"), h -> plugins));
    completions = new Completions(session.spec(), session::app);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  private static ResolvedProvider provider(String name, String display) {
    String yaml = "schema_version: 1\nname: " + name + "\ndisplay_name: " + display + "\nauth_type: api_key\n"
        + "flow: api_key\napi_key:\n  header_name: Authorization\n  header_prefix: Bearer\napi_url: [api."
        + name + ".example]\n";
    return new ResolvedProvider(ProviderDefinitions.parse(yaml, ProviderDefinitions.Format.YAML, name + ".yaml"),
        ProviderSource.BUNDLED, name + ".yaml", List.of());
  }

  private List<String> values(List<String> before, String current) {
    return completions.complete(before, current).stream().map(Completions.Item::value).toList();
  }

  @Test
  void commands_completeWithTheirDescriptions_hiddenOnesLeftOut() {
    List<Completions.Item> items = completions.complete(List.of(), "log");
    assertThat(items).extracting(Completions.Item::value).containsExactlyInAnyOrder("login", "logout", "log");
    assertThat(items).filteredOn(i -> i.value().equals("login")).first()
        .satisfies(i -> assertThat(i.description()).startsWith("Log in to a provider"));
    assertThat(values(List.of(), "__")).isEmpty();
  }

  @Test
  void providerNames_comeFromTheCatalogue_withDisplayNames() {
    List<Completions.Item> items = completions.complete(List.of("login"), "ope");
    assertThat(items).containsExactly(new Completions.Item("openai", "OpenAI"),
        new Completions.Item("openrouter", "OpenRouter"));
    assertThat(values(List.of("get"), "gi")).containsExactly("github");
  }

  @Test
  void options_andTheirValues_complete() {
    assertThat(values(List.of("get", "openai"), "--fi")).containsExactly("--field");
    assertThat(values(List.of("get", "openai", "--field"), "sta")).containsExactly("status");
    assertThat(values(List.of("login", "openai", "--flow"), "")).containsExactly("api_key", "device_code");
    assertThat(values(List.of("login", "openai"), "--flow=d")).containsExactly("--flow=device_code");
    assertThat(values(List.of("export", "--format"), "s")).contains("shell");
  }

  @Test
  void theValueOfAnOption_isNotTakenForAPositional() {
    assertThat(values(List.of("login", "--flow", "api_key"), "git")).containsExactly("github");
  }

  @Test
  void completionScripts_areOfferedForBashAndZsh() {
    assertThat(values(List.of("completion"), "")).containsExactly("bash", "zsh");
  }
}
