package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An API-key provider end to end through {@code bin/authsome}: login by --stdin, use, log out. */
class ApiKeyLoginEndToEndTest {
  static final String KEY = "sk-e2eTEST0123456789abcdefXYZ";
  static final String OTHER_KEY = "sk-e2eOTHER9876543210zyxwvuABC";

  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
    cli = new Cli(home);
  }

  @Test
  void loginByStdin_thenListGetExportLogout() {
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.out()).contains("Successfully logged in to openai (default).");
    assertThat(login.out() + login.err()).doesNotContain(KEY);

    Result list = cli.run("list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    JsonNode openai = find(list.json().get("bundled"), "openai");
    assertThat(openai.get("source").asText()).isEqualTo("bundled");
    assertThat(openai.get("auth_type").asText()).isEqualTo("api_key");
    assertThat(openai.get("connections").get(0).get("connection_name").asText()).isEqualTo("default");
    assertThat(openai.get("connections").get(0).get("status").asText()).isEqualTo("connected");
    assertThat(list.out()).doesNotContain(KEY);

    Result status = cli.run("get", "openai", "--field", "status");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out().strip()).isEqualTo("connected");

    Result redacted = cli.run("get", "openai", "--json");
    assertThat(redacted.json().get("api_key").asText()).isEqualTo("***REDACTED***");

    Result export = cli.run("export", "openai", "--format", "json");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(KEY);
    assertThat(export.err()).contains("authsome run");

    Result shell = cli.run("export", "openai", "--format", "shell");
    assertThat(shell.out().strip()).isEqualTo("export OPENAI_API_KEY='" + KEY + "'");

    Result logout = cli.run("logout", "openai");
    assertThat(logout.exit()).as(logout.toString()).isZero();
    assertThat(logout.out()).contains("Logged out of openai (default).");
    Result after = cli.run("get", "openai", "--field", "status");
    assertThat(after.exit()).isEqualTo(5);

    Result again = cli.run("logout", "openai");
    assertThat(again.exit()).as("logout of a missing connection is not an error").isZero();

    Result log = cli.run("log", "--json");
    assertThat(log.out()).contains("\"login\"").contains("\"export\"").contains("\"logout\"").doesNotContain(KEY);
  }

  @Test
  void globalOptions_workBeforeOrAfterTheCommand() {
    assertThat(cli.run("--json", "list").json().has("bundled")).isTrue();
    assertThat(cli.run("list", "--json").json().has("bundled")).isTrue();
    assertThat(cli.run("--quiet", "--json", "whoami").json().get("home_directory").asText())
        .isEqualTo(home.toString());
  }

  /** The vault line names the backend once, then where it keeps the records and the master key. */
  @Test
  void whoami_namesTheVaultBackendOnce() {
    assertThat(cli.feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();

    Result whoami = cli.run("whoami");

    assertThat(whoami.exit()).as(whoami.toString()).isZero();
    assertThat(whoami.out().lines()).contains("Encryption Mode: file (" + home.resolve("vault")
        + ", master key from key file " + home.resolve("vault/master.key") + ")", "Connected Providers: 1",
        "  - openai");
    Result memory = cli.run("whoami", "--vault", "memory");
    assertThat(memory.out().lines()).contains("Encryption Mode: memory (in this process only; forgotten when it ends)");
  }

  @Test
  void wrongKeyPattern_exits4WithTheProvidersHint_andStoresNothing() {
    Result r = cli.feed("not-an-openai-key\n", "login", "openai", "--stdin");
    assertThat(r.exit()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("OpenAI API keys start with sk-").doesNotContain("not-an-openai-key");
    assertThat(cli.run("get", "openai", "--field", "status").exit()).isEqualTo(5);
  }

  @Test
  void unknownProvider_exits3_withJsonErrorShapeOnStdout() {
    Result text = cli.run("get", "no-such-provider");
    assertThat(text.exit()).isEqualTo(3);
    assertThat(text.err()).startsWith("Error: ").contains("no-such-provider");

    Result json = cli.run("login", "no-such-provider", "--stdin", "--json");
    assertThat(json.exit()).isEqualTo(3);
    assertThat(json.json().get("error").asText()).isEqualTo("ProviderNotFoundError");
    assertThat(json.json().get("exit_code").asInt()).isEqualTo(3);
    assertThat(json.json().get("message").asText()).contains("no-such-provider");
  }

  @Test
  void loginTwice_exits10NamingForce_andForceReplacesTheKey() {
    assertThat(cli.feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();
    Result twice = cli.feed(OTHER_KEY + "\n", "login", "openai", "--stdin");
    assertThat(twice.exit()).as(twice.toString()).isEqualTo(10);
    assertThat(twice.err()).contains("--force");

    Result forced = cli.feed(OTHER_KEY + "\n", "login", "openai", "--stdin", "--force");
    assertThat(forced.exit()).as(forced.toString()).isZero();
    Result key = cli.run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(key.out().strip()).isEqualTo(OTHER_KEY);
  }

  @Test
  void loginOnNonTerminalWithoutStdin_exits2NamingStdin_withoutWaitingForInput() {
    // standard input stays an open, empty pipe: authsome must not wait on it
    Result r = cli.start(null, false, "login", "openai").finish();
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--stdin");
  }

  @Test
  void unknownField_isUsageErrorListingValidFields() {
    cli.feed(KEY + "\n", "login", "openai", "--stdin");
    Result r = cli.run("get", "openai", "--field", "nope");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'nope'").contains("status").contains("api_key");
  }

  @Test
  void usageErrors_exit2WithOneLine() {
    Result r = cli.run("list", "--bogus");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(cli.run("--version").out().strip()).isEqualTo("authsome 0.1.0");
    assertThat(cli.run("-v").out().strip()).isEqualTo("authsome 0.1.0");
    // alone, the version is answered before the command model is built; with another option picocli answers: same
    assertThat(cli.run("--no-color", "--version").out()).isEqualTo(cli.run("--version").out());
    assertThat(cli.run("--version").exit()).isZero();
  }

  static JsonNode find(JsonNode providers, String name) {
    for (JsonNode p : providers) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError(name + " not listed in " + providers);
  }
}
