package dev.authsome.dist;

import static dev.authsome.dist.ProxyFixture.CLIENTS;
import static dev.authsome.dist.ProxyFixture.KEY;
import static dev.authsome.dist.ProxyFixture.PLACEHOLDER;
import static dev.authsome.dist.ProxyFixture.ROUTED;
import static dev.authsome.dist.ProxyFixture.require;
import static dev.authsome.dist.ProxyFixture.runs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.dist.Cli.Result;
import dev.authsome.dist.UpstreamServer.Seen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authsome proxy} as a long-running process serving an agent started elsewhere, its refusals, and the promise
 * that the short commands never load the proxy's libraries.
 */
class ProxyCommandEndToEndTest {
  private static final Pattern PROXY_LIBRARIES = Pattern.compile("io\\.netty|org\\.bouncycastle|org\\.conscrypt"
      + "|dev\\.authsome\\.proxy");

  @TempDir static Path home;
  @TempDir static Path work;
  static ProxyFixture fixture;

  @BeforeAll
  static void setUp() {
    fixture = new ProxyFixture(home, work);
  }

  @AfterAll
  static void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void proxy_printsOneJsonObject_servesAnAgentStartedElsewhere_andStopsCleanlyOnSigterm() throws Exception {
    Path out = work.resolve("proxy.out");
    Path err = work.resolve("proxy.err");
    Process proxy = ProxyFixture.withDefaultSignals(fixture.cli.processBuilder("proxy", "--json"))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      JsonNode printed = awaitJson(proxy, out, err);
      String url = printed.get("proxy_url").asText();
      assertThat(url).matches("http://authsome:[^@]+@127\\.0\\.0\\.1:\\d+");
      Path caFile = Path.of(printed.get("ca_file").asText());
      assertThat(caFile).isEqualTo(home.resolve("proxy/ca.pem"));
      assertThat(Files.readString(caFile)).startsWith("-----BEGIN CERTIFICATE-----");
      JsonNode env = printed.get("env");
      assertThat(env.get("HTTPS_PROXY").asText()).isEqualTo(url);
      assertThat(env.get("E2E_API_KEY").asText()).isEqualTo(PLACEHOLDER);
      assertThat(Path.of(env.get("SSL_CERT_FILE").asText())).exists();
      assertThat(Files.readString(out) + Files.readString(err)).doesNotContain(KEY);

      Result path = fixture.cli.run("proxy", "ca", "path");
      assertThat(path.out().strip()).isEqualTo(caFile.toString());
      Result export = fixture.cli.run("proxy", "ca", "export");
      assertThat(export.out().strip()).isEqualTo(Files.readString(caFile).strip());

      Result second = fixture.cli.run("proxy");
      assertThat(second.exit()).as(second.toString()).isEqualTo(9);
      assertThat(second.err()).contains("already running");

      if (runs("curl", "--version")) {
        // an agent in another terminal: only the printed variables, no authsome around it
        Map<String, String> agentEnv = new HashMap<>();
        env.fields().forEachRemaining(e -> agentEnv.put(e.getKey(), e.getValue().asText()));
        ProcessBuilder agent = new ProcessBuilder("sh", CLIENTS.resolve("curl_client.sh").toString(),
            "https://" + ROUTED + "/elsewhere/curl");
        agent.environment().clear();
        agent.environment().put("PATH", System.getenv("PATH"));
        agent.environment().putAll(agentEnv);
        Process p = agent.redirectErrorStream(true).start();
        String agentOut = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(agentOut).contains(" 200 ").contains("Bearer " + PLACEHOLDER).doesNotContain(KEY);
        assertThat(fixture.upstream.seen("/elsewhere/")).extracting(Seen::authorization)
            .containsExactly("Bearer " + KEY);
      } else {
        System.out.println("NOTE: curl is not installed: the agent-elsewhere request was not made");
      }

      proxy.destroy(); // SIGTERM
      assertThat(proxy.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(proxy.exitValue()).as(Files.readString(err)).isZero();
      assertThat(caFile).doesNotExist();
      Result after = fixture.cli.run("proxy", "ca", "path");
      assertThat(after.exit()).isEqualTo(2);
      assertThat(after.err()).contains("authsome proxy");
    } finally {
      proxy.destroyForcibly();
    }
  }

  @Test
  void proxy_textOutput_isExportLines_andCtrlCStopsItWithStatus0() throws Exception {
    Path out = work.resolve("proxy-text.out");
    Path err = work.resolve("proxy-text.err");
    Process proxy = ProxyFixture.withDefaultSignals(fixture.cli.processBuilder("proxy"))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(err).contains("Ctrl-C to stop")) {
        if (!proxy.isAlive() || System.nanoTime() > deadline) {
          fail("authsome proxy did not start: " + Files.readString(err));
        }
        Thread.sleep(50);
      }
      assertThat(Files.readAllLines(out)).isNotEmpty().allSatisfy(l -> assertThat(l).matches("export [A-Za-z_]\\w*='.*'"));
      assertThat(Files.readString(out)).contains("export HTTPS_PROXY='http://authsome:")
          .contains("export E2E_API_KEY='" + PLACEHOLDER + "'");
      assertThat(runs("kill", "-INT", Long.toString(proxy.pid()))).isTrue();
      assertThat(proxy.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(proxy.exitValue()).as(Files.readString(err)).isZero();
    } finally {
      proxy.destroyForcibly();
    }
  }

  @Test
  void proxy_refusesANonLoopbackBindWithoutAllowRemote() {
    Result remote = fixture.cli.run("proxy", "--bind", "0.0.0.0");
    assertThat(remote.exit()).as(remote.toString()).isEqualTo(2);
    assertThat(remote.err().strip().lines()).singleElement().asString().contains("--allow-remote");
  }

  @Test
  void persistentCa_survivesRestarts_isExportedWhileStopped_andRotateReplacesIt(@TempDir Path otherHome)
      throws Exception {
    Cli cli = fixture.prepare(otherHome); // its own home: the persistent CA lives in that home's vault
    String first = runAndStop(cli, "proxy", "--persistent-ca", "--json");
    assertThat(otherHome.resolve("proxy/ca.pem")).as("the persistent CA's certificate stays").exists();
    Result export = cli.run("proxy", "ca", "export");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(export.out().strip()).isEqualTo(first.strip());

    cli.env.put("AUTHSOME_PROXY_CA", "persistent"); // the setting instead of the flag
    assertThat(runAndStop(cli, "proxy", "--json")).as("the same CA after a restart").isEqualTo(first);

    Result rotate = cli.run("proxy", "ca", "rotate");
    assertThat(rotate.exit()).as(rotate.toString()).isZero();
    Result rotated = cli.run("proxy", "ca", "export");
    assertThat(rotated.out().strip()).startsWith("-----BEGIN CERTIFICATE-----").isNotEqualTo(first.strip());
  }

  /** Starts {@code authsome ARGS} (a proxy printing JSON), stops it with SIGTERM, returns its CA certificate. */
  private static String runAndStop(Cli cli, String... args) throws Exception {
    Path out = Files.createTempFile(work, "proxy", ".out");
    Path err = Files.createTempFile(work, "proxy", ".err");
    Process proxy = ProxyFixture.withDefaultSignals(cli.processBuilder(args)).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    try {
      JsonNode printed = awaitJson(proxy, out, err);
      String pem = Files.readString(Path.of(printed.get("ca_file").asText()));
      proxy.destroy();
      assertThat(proxy.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(proxy.exitValue()).as(Files.readString(err)).isZero();
      return pem;
    } finally {
      proxy.destroyForcibly();
    }
  }

  @Test
  void badProxySettings_exit2NamingTheEntryAndWhereItCameFrom() {
    Cli cli = fixture.newCli();
    cli.env.put("AUTHSOME_PROXY_RESOLVE", ROUTED + ":443=127.0.0.1:1,bad-entry");
    Result r = cli.run("run", "--", "true");
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("'bad-entry'").contains("AUTHSOME_PROXY_RESOLVE");
  }

  @Test
  void shortCommands_loadNoClassOfTheProxyNettyBouncyCastleOrConscrypt() {
    Cli cli = fixture.newCli();
    cli.env.put("AUTHSOME_JAVA_OPTS", "-Xlog:class+load=info");
    for (String[] command : new String[][] {{"list"}, {"list", "--json"}, {"get", "e2e-api", "--field", "status"},
        {"--help"}, {"run", "--help"}, {"proxy", "--help"}}) {
      Result r = cli.run(command);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).as("class loading is logged").contains("java.lang.Object");
      assertThat(r.out().lines().filter(l -> PROXY_LIBRARIES.matcher(l).find()))
          .as(String.join(" ", command)).isEmpty();
    }
    // and the check can see them: run loads them
    Result run = cli.run("run", "--", "true");
    assertThat(run.out()).contains("io.netty").contains("dev.authsome.proxy");
  }

  private static JsonNode awaitJson(Process proxy, Path out, Path err) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      String text = Files.readString(out);
      if (text.stripTrailing().endsWith("}")) {
        try {
          return json.readTree(text);
        } catch (IOException e) {
          // not complete yet
        }
      }
      if (!proxy.isAlive() || System.nanoTime() > deadline) {
        fail("authsome proxy --json printed no JSON object; stdout: " + text + "; stderr: " + Files.readString(err));
      }
      Thread.sleep(50);
    }
  }
}
