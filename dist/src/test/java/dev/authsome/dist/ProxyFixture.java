package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import dev.authsome.oauth.testing.OidcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the proxy end-to-end tests share: a home with one registered API-key provider for {@code api.authsome-e2e.test}
 * logged in with {@link #KEY}, the test upstream (HTTPS for that host and an unrouted one, plain HTTP for the routed
 * host) reached through {@code AUTHSOME_PROXY_RESOLVE}, its test CA trusted by the proxy
 * ({@code AUTHSOME_UPSTREAM_CA_FILE}) and by the parent ({@code SSL_CERT_FILE}, {@code NODE_EXTRA_CA_CERTS}), and
 * nothing of the machine's own proxy or trust settings.
 */
final class ProxyFixture implements AutoCloseable {
  static final String KEY = "e2e-7b1f0c2d9a8e4f6b5c3d2e1f0a9b8c7d-SECRET";
  static final String PLACEHOLDER = "authsome-proxy-managed";
  static final String PROVIDER = "e2e-api";
  static final String ROUTED = "api.authsome-e2e.test";
  static final String UNROUTED = "plain.authsome-e2e.test";
  static final Path REPO = Path.of(System.getProperty("authsome.repo", "..")).toAbsolutePath().normalize();
  static final Path CLIENTS = REPO.resolve("testing/proxy-clients");
  /** Proxy and trust variables a developer's machine may carry; the tests set what they need themselves. */
  static final List<String> MACHINE_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
      "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
      "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "JAVA_TOOL_OPTIONS", "NODE_OPTIONS", "NODE_USE_ENV_PROXY",
      "AWS_CA_BUNDLE", "GIT_SSL_CAINFO", "PIP_CERT");

  static final String DEFINITION = """
      schema_version: 1
      name: e2e-api
      display_name: E2E API
      docs_url: https://docs.authsome-e2e.test/keys
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: Authorization
        header_prefix: Bearer
      api_url:
        - api.authsome-e2e.test
      export:
        E2E_API_KEY: api_key
      """;

  final Path home;
  final Path work;
  final Path testCa;
  final UpstreamServer upstream;
  final Cli cli;

  ProxyFixture(Path home, Path work) {
    Cli.assumeComplete();
    this.home = home;
    this.work = work;
    TestPki pki = TestPki.create(ROUTED, UNROUTED);
    testCa = pki.writeCa(work.resolve("test-ca.pem"));
    upstream = new UpstreamServer(pki.serverContext());
    cli = prepare(home);
  }

  /** A runner on {@code someHome} with the fixture's environment, the provider registered and logged in there. */
  Cli prepare(Path someHome) {
    Cli c = newCli(someHome);
    try {
      Path yaml = Files.writeString(work.resolve("e2e-api.yaml"), DEFINITION);
      Result register = c.run("register", yaml.toString());
      assertThat(register.exit()).as(register.toString()).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Result login = c.feed(KEY + "\n", "login", PROVIDER, "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    return c;
  }

  /** A command line runner on the fixture's home with the fixture's environment (tests may add to it). */
  Cli newCli() {
    return newCli(home);
  }

  Cli newCli(Path someHome) {
    Cli c = new Cli(someHome);
    c.unset.addAll(MACHINE_VARIABLES);
    c.env.put("AUTHSOME_PROXY_RESOLVE", ROUTED + ":443=127.0.0.1:" + upstream.httpsPort() + ","
        + UNROUTED + ":443=127.0.0.1:" + upstream.httpsPort() + "," + ROUTED + ":80=127.0.0.1:" + upstream.httpPort());
    c.env.put("AUTHSOME_UPSTREAM_CA_FILE", testCa.toString());
    // the parent trusts the test CA the way a developer trusts a corporate or local dev CA: the child's merged
    // bundle must keep trusting it for the hosts the proxy only tunnels
    c.env.put("SSL_CERT_FILE", testCa.toString());
    c.env.put("NODE_EXTRA_CA_CERTS", testCa.toString());
    return c;
  }

  /** The line {@code RESULT <url> ...} of a client's output, without the prefix and URL: status and body. */
  static String result(Result r, String url) {
    return r.out().lines().filter(l -> l.startsWith("RESULT " + url + " ") || l.startsWith("ERROR " + url + " "))
        .findFirst().map(l -> l.startsWith("ERROR") ? l : l.substring(("RESULT " + url + " ").length()))
        .orElseThrow(() -> new AssertionError("no result for " + url + " in\n" + r));
  }

  /** The {@code KEY <value>} line of a client's output. */
  static String keyVariable(Result r) {
    return r.out().lines().filter(l -> l.startsWith("KEY ")).findFirst().map(l -> l.substring(4))
        .orElseThrow(() -> new AssertionError("the client printed no KEY line:\n" + r));
  }

  /** Skips the test (reason printed), or fails it with {@code AUTHSOME_TEST_REQUIRE_ALL=1}, unless {@code ok}. */
  static void require(boolean ok, String reason) {
    if (!ok) {
      OidcServer.missing(reason);
    }
  }

  /** Whether {@code command} runs and exits 0 within a minute (a tool is installed and works). */
  /**
   * {@code pb} set to start with SIGHUP, SIGINT and SIGTERM at their defaults. A test run started in the background
   * or under nohup passes "ignore" down for them, and an ignored signal can be neither handled by the JVM nor
   * trapped by sh: the signal tests would then test the harness, not authsome.
   */
  static ProcessBuilder withDefaultSignals(ProcessBuilder pb) {
    if (runs("python3", "--version")) {
      List<String> reset = new java.util.ArrayList<>(List.of("python3", "-c", "import os, signal, sys\n"
          + "for s in (signal.SIGHUP, signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)\n"
          + "os.execvp(sys.argv[1], sys.argv[1:])"));
      reset.addAll(pb.command());
      pb.command(reset);
    }
    return pb;
  }

  static boolean runs(String... command) {
    return output(command).isPresent();
  }

  /** The output of {@code command} when it exits 0 within a minute. */
  static Optional<String> output(String... command) {
    return output(Map.of(), command);
  }

  static Optional<String> output(Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    upstream.close();
  }
}
