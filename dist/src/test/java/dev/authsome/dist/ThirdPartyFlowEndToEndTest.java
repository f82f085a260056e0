package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party flow, proven drop-in: the example token-exchange plugin (examples/flow-token-exchange, built by the
 * reactor, not shipped) is copied into {@code $AUTHSOME_HOME/plugins/} and a login runs with {@code --flow} set to
 * it, exchanging a token from a PKCE login at the real authorization server.
 */
class ThirdPartyFlowEndToEndTest {
  private static final Path EXAMPLE_JAR = Path.of(System.getProperty("authsome.repo", ".."))
      .resolve("examples/flow-token-exchange/target/flow-token-exchange-0.1.0.jar").toAbsolutePath().normalize();
  private static OidcServer server;

  @TempDir Path home;
  @TempDir Path tmp;

  @BeforeAll
  static void startServer() {
    OAuthLoginEndToEndTest.assumeOAuthComplete();
    if (!Files.isRegularFile(EXAMPLE_JAR)) {
      OidcServer.missing("the example flow plugin is not built: " + EXAMPLE_JAR);
    }
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void droppedInFlowPlugin_exchangesATokenForANewConnection() throws IOException {
    Cli cli = new Cli(home);
    cli.env.put("AUTHSOME_CALLBACK_PORT", Integer.toString(OAuthLoginEndToEndTest.freePort()));
    cli.env.put("BROWSER", OidcServer.approver(tmp.resolve("approver.log"), "--login erin"));
    cli.env.put("DISPLAY", "");
    OAuthLoginEndToEndTest.writeProvider(home, "testidp", "pkce", server.issuer());
    Files.writeString(home.resolve("providers/exchanged.yaml"), "schema_version: 1\n"
        + "name: exchanged\n"
        + "display_name: Exchanged API\n"
        + "docs_url: https://example.test/docs/token-exchange\n"
        + "auth_type: oauth2\n"
        + "flow: token_exchange\n"
        + "oauth:\n"
        + "  token_url: " + server.issuer() + "/token\n"
        + "  revocation_url: " + server.issuer() + "/token/revocation\n"
        + "  userinfo_url: " + server.issuer() + "/me\n"
        + "  scopes: [openid]\n");
    Result first = cli.run("login", "testidp", "--client-id", OidcServer.PUBLIC_CLIENT);
    assertThat(first.exit()).as(first.toString()).isZero();
    String subject = cli.run("export", "testidp", "--format", "json").json().get("TESTIDP_ACCESS_TOKEN").asText();

    Result without = cli.feed(subject + "\n", "login", "exchanged", "--flow", "token_exchange", "--client-id",
        OidcServer.PUBLIC_CLIENT, "--stdin");
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(EXAMPLE_JAR, home.resolve("plugins").resolve(EXAMPLE_JAR.getFileName()));
    cli.env.put("BROWSER", "");
    Result login = cli.feed(subject + "\n", "login", "exchanged", "--flow", "token_exchange", "--client-id",
        OidcServer.PUBLIC_CLIENT, "--stdin");

    assertThat(without.exit()).as("before the jar is dropped in: " + without).isNotZero();
    assertThat(without.err()).contains("token_exchange");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out() + login.err()).doesNotContain(subject);
    String exchanged = cli.run("export", "exchanged", "--format", "json").json().get("EXCHANGED_ACCESS_TOKEN")
        .asText();
    assertThat(exchanged).isNotEqualTo(subject);
    assertThat(server.active(exchanged)).isTrue();
    assertThat(cli.run("get", "exchanged", "--json").json().toString()).contains("token_exchange").contains("erin");
  }
}
