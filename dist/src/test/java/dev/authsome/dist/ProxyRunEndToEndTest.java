package dev.authsome.dist;

import static dev.authsome.dist.ProxyFixture.CLIENTS;
import static dev.authsome.dist.ProxyFixture.KEY;
import static dev.authsome.dist.ProxyFixture.PLACEHOLDER;
import static dev.authsome.dist.ProxyFixture.ROUTED;
import static dev.authsome.dist.ProxyFixture.UNROUTED;
import static dev.authsome.dist.ProxyFixture.keyVariable;
import static dev.authsome.dist.ProxyFixture.require;
import static dev.authsome.dist.ProxyFixture.result;
import static dev.authsome.dist.ProxyFixture.runs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import dev.authsome.dist.UpstreamServer.Seen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authsome run -- CLIENT} with real clients of every common runtime as child processes, against a local HTTPS
 * upstream on {@code .test} names. For each client: the routed host gets the real credential (checked at the
 * server) while the child holds only the placeholder and never sees the secret, not even when the server echoes it;
 * an unrouted host still works through the merged trust bundle and gets no credential; {@code http://} to the routed
 * host never carries it. A client whose runtime is not installed is skipped with the reason printed (failed with
 * {@code AUTHSOME_TEST_REQUIRE_ALL=1}, as in CI, where {@code .ci/run} installs them).
 */
class ProxyRunEndToEndTest {
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
  void curl() {
    require(runs("curl", "--version"), "curl is not installed (apt-get install curl)");
    assertClient("curl", List.of("sh", CLIENTS.resolve("curl_client.sh").toString()));
  }

  @Test
  void pythonUrllib() {
    require(runs("python3", "--version"), "python3 is not installed (apt-get install python3)");
    assertClient("urllib", List.of("python3", CLIENTS.resolve("urllib_client.py").toString()));
  }

  @Test
  void pythonRequests() {
    require(runs("python3", "-c", "import requests"),
        "python3 with requests is not installed (apt-get install python3-requests)");
    assertClient("requests", List.of("python3", CLIENTS.resolve("requests_client.py").toString()));
  }

  @Test
  void nodeFetchThroughUndiciEnvHttpProxyAgent() {
    require(runs("node", "--version"), "node is not installed");
    require(Files.isDirectory(CLIENTS.resolve("node_modules/undici")),
        "undici is not installed for the Node client (run 'npm ci' in " + CLIENTS + ")");
    assertClient("undici", List.of("node", CLIENTS.resolve("undici_client.mjs").toString()));
  }

  @Test
  void goNetHttp() {
    require(runs("go", "version"), "go is not installed (apt-get install golang-go)");
    Path binary = work.resolve("go-client");
    // built outside the proxy (the standard library only: nothing is downloaded); GOFLAGS cleared so that a
    // developer's settings cannot ask for modules
    require(ProxyFixture.output(Map.of("GOFLAGS", "", "GO111MODULE", "off", "CGO_ENABLED", "0"),
        "go", "build", "-o", binary.toString(), CLIENTS.resolve("go_client.go").toString()).isPresent(),
        "go cannot build " + CLIENTS.resolve("go_client.go"));
    assertClient("go", List.of(binary.toString()));
  }

  @Test
  void jvmHttpUrlConnection_trustAndProxyFromJavaToolOptions_credentialFromTheAgent() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assertClient("jvm", List.of(java.toString(), CLIENTS.resolve("JavaClient.java").toString()));
  }

  /**
   * Runs {@code client ROUTED_URL UNROUTED_URL HTTP_URL} through {@code authsome run} and checks what the server saw
   * and what the child saw.
   */
  private static void assertClient(String name, List<String> client) {
    String routed = "https://" + ROUTED + "/routed/" + name;
    String unrouted = "https://" + UNROUTED + "/unrouted/" + name;
    String plainHttp = "http://" + ROUTED + "/plain-http/" + name;
    List<String> args = new ArrayList<>(List.of("run", "--"));
    args.addAll(client);
    args.addAll(List.of(routed, unrouted, plainHttp));
    Result r = fixture.cli.run(args.toArray(String[]::new));

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).contains("authsome: proxy on 127.0.0.1:").contains("injecting for e2e-api");
    // the child holds the placeholder, and neither it nor anything it prints ever holds the secret
    assertThat(keyVariable(r)).isEqualTo(PLACEHOLDER);
    assertThat(r.out() + r.err()).as("the secret reached the child: " + r).doesNotContain(KEY);

    // routed host over https: the server got the real key; the child got the echo with the key scrubbed
    assertThat(result(r, routed)).as(r.toString()).startsWith("200 ").contains("Bearer " + PLACEHOLDER);
    assertThat(fixture.upstream.seen("/routed/" + name)).as("requests to the routed host")
        .extracting(Seen::scheme, Seen::host, Seen::authorization)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("https", ROUTED, "Bearer " + KEY));

    // unrouted host: tunnelled untouched, verified by the client through the merged bundle, no credential added
    assertThat(result(r, unrouted)).as(r.toString()).startsWith("200 ");
    assertThat(fixture.upstream.seen("/unrouted/" + name)).singleElement()
        .satisfies(s -> assertThat(s.authorization()).isEqualTo("Bearer " + PLACEHOLDER));

    // plain http to the routed host: forwarded, never injected
    assertThat(result(r, plainHttp)).as(r.toString()).startsWith("200 ");
    assertThat(fixture.upstream.seen("/plain-http/" + name)).singleElement().satisfies(s -> {
      assertThat(s.scheme()).isEqualTo("http");
      assertThat(s.authorization()).doesNotContain(KEY);
    });
  }

  @Test
  void withoutTheProxyCredential_theProxyAnswers407_andNothingReachesTheServer() {
    require(runs("curl", "--version"), "curl is not installed (apt-get install curl)");
    // inside the run the child knows the proxy's address; it drops (or spoils) the credential of its proxy URL
    String script = "p=${HTTPS_PROXY##*@}; "
        + "curl -s -o /dev/null -w 'plain %{http_code}\\n' --proxy http://$p http://" + ROUTED + "/no-credential/1; "
        + "curl -s -o /dev/null -w 'connect %{http_connect}\\n' --proxy http://$p https://" + ROUTED
        + "/no-credential/2; "
        + "curl -s -o /dev/null -w 'wrong %{http_code}\\n' --proxy http://authsome:wrong@$p http://" + ROUTED
        + "/no-credential/3; true";
    Result r = fixture.cli.run("run", "--", "sh", "-c", script);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out().lines()).as(r.toString()).containsExactly("plain 407", "connect 407", "wrong 407");
    assertThat(fixture.upstream.seen("/no-credential/")).isEmpty();
  }

  @Test
  void theChildsEnvironment_hasOurProxyAndThePlaceholder_notTheParentsProxyOrTheSecret() {
    Cli cli = fixture.newCli();
    // a corporate proxy in the parent: the child must not see it; the proxy's own upstream leg honours it, and
    // its NO_PROXY sends the test hosts direct
    cli.env.put("HTTPS_PROXY", "http://corporate-proxy.invalid:3128");
    cli.env.put("https_proxy", "http://corporate-proxy.invalid:3128");
    cli.env.put("HTTP_PROXY", "http://corporate-proxy.invalid:3128");
    cli.env.put("ALL_PROXY", "http://corporate-proxy.invalid:3128");
    cli.env.put("NO_PROXY", ".authsome-e2e.test,internal.example");
    Result r = cli.run("run", "--", "env");
    assertThat(r.exit()).as(r.toString()).isZero();
    Map<String, String> env = new java.util.TreeMap<>();
    r.out().lines().filter(l -> l.indexOf('=') > 0)
        .forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    assertThat(r.out() + r.err()).doesNotContain(KEY).doesNotContain("corporate-proxy.invalid");
    assertThat(env).containsEntry("E2E_API_KEY", PLACEHOLDER).containsEntry("AUTHSOME_PROXY_MODE", "true")
        .doesNotContainKeys("ALL_PROXY");
    for (String name : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")) {
      assertThat(env.get(name)).as(name).matches("http://authsome:[^@]+@127\\.0\\.0\\.1:\\d+");
    }
    // the parent's NO_PROXY entry that would bypass the routed host is dropped; the others stay, with loopback
    assertThat(env.get("NO_PROXY")).doesNotContain("authsome-e2e.test").contains("internal.example")
        .contains("127.0.0.1");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-javaagent:").contains("authsome-proxy-agent");
  }

  @Test
  void exitStatus_isTheChilds_127WhenNotFound_126WhenNotExecutable_128PlusSignal() throws Exception {
    Cli cli = fixture.cli;
    assertThat(cli.run("run", "--", "sh", "-c", "exit 7").exit()).isEqualTo(7);

    Result missing = cli.run("run", "--", "authsome-e2e-no-such-command", "arg");
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(127);
    assertThat(missing.err().lines().filter(l -> l.startsWith("Error: ")))
        .containsExactly("Error: authsome-e2e-no-such-command: command not found");

    Path notExecutable = Files.writeString(work.resolve("not-executable.sh"), "#!/bin/sh\necho hi\n");
    Result denied = cli.run("run", "--", notExecutable.toString());
    assertThat(denied.exit()).as(denied.toString()).isEqualTo(126);
    assertThat(denied.err().lines().filter(l -> l.startsWith("Error: "))).singleElement().asString()
        .contains(notExecutable.toString()).contains("cannot execute");

    Result killed = cli.run("run", "--", "sh", "-c", "kill -TERM $$");
    assertThat(killed.exit()).as(killed.toString()).isEqualTo(128 + 15);

    // options after the command are the child's, even without "--"
    Result childsOptions = cli.run("run", "sh", "-c", "echo \"$0 $1\"", "--json", "--quiet");
    assertThat(childsOptions.out().strip()).isEqualTo("--json --quiet");

    // every per-run folder is gone
    try (var left = Files.list(fixture.home.resolve("run"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void sigtermAndSighup_areForwardedToTheChild_whileSigintToAuthsomeAloneIsIgnored() throws Exception {
    Signalled term = Signalled.start(fixture, work, "TERM", 3);
    term.authsome().toHandle().destroy(); // SIGTERM
    assertThat(term.finish()).isEqualTo(3);
    assertThat(term.out()).contains("got TERM");

    Signalled hup = Signalled.start(fixture, work, "HUP", 4);
    assertThat(ProxyFixture.runs("kill", "-INT", Long.toString(hup.authsome().pid()))).isTrue();
    Thread.sleep(500);
    assertThat(hup.authsome().isAlive()).as("authsome survives a SIGINT sent to it alone").isTrue();
    assertThat(ProxyFixture.runs("kill", "-HUP", Long.toString(hup.authsome().pid()))).isTrue();
    assertThat(hup.finish()).isEqualTo(4);
    assertThat(hup.out()).contains("got HUP").doesNotContain("got INT");
  }

  @Test
  void ctrlCOnTheTerminal_reachesTheChildOnce_andAuthsomeExitsWithItsStatus() throws Exception {
    Tmux.assumeInstalled();
    Path log = work.resolve("sigint.log");
    Map<String, String> env = new java.util.HashMap<>(fixture.newCli().env);
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", System.getenv().getOrDefault("HOME", "/tmp"));
    env.put("TERM", "xterm");
    String script = "trap 'echo INT >> " + log + "; exit 42' INT; echo child-ready; while :; do sleep 0.1; done";
    try (Tmux t = Tmux.start(env, "run", "--", "sh", "-c", script)) {
      t.waitForText("child-ready");
      t.press("C-c");
      t.waitForText("[authsome exited 42]");
      assertThat(Files.readAllLines(log)).containsExactly("INT");
    }
  }
}
