package dev.authsome.dist;

import static dev.authsome.dist.ProxyFixture.KEY;
import static dev.authsome.dist.ProxyFixture.ROUTED;
import static dev.authsome.dist.ProxyFixture.require;
import static dev.authsome.dist.ProxyFixture.runs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 and gRPC through {@code authsome run}: curl speaking HTTP/2 to the proxy for an HTTP/1.1-only upstream, and
 * a grpc-java client child with nothing configured but what {@code run} puts in its environment, calling a
 * grpc-java server with all four call types.
 */
class ProxyHttp2EndToEndTest {
  static final String GRPC_HOST = "grpc.authsome-e2e.test";
  static final String GRPC_KEY = "e2e-grpc-3c5e7a9b1d2f4e6a8c0b-SECRET";
  static final String GRPC_DEFINITION = """
      schema_version: 1
      name: e2e-grpc
      display_name: E2E gRPC
      docs_url: https://docs.authsome-e2e.test/grpc
      auth_type: api_key
      flow: api_key
      api_key:
        header_name: Authorization
        header_prefix: Bearer
      api_url:
        - grpc.authsome-e2e.test
      """;

  @TempDir static Path home;
  @TempDir static Path work;
  static ProxyFixture fixture;
  static GrpcEcho grpc;
  static Cli cli;

  @BeforeAll
  static void setUp() throws Exception {
    fixture = new ProxyFixture(home, work);
    TestPki pki = TestPki.create(GRPC_HOST);
    Path chain = work.resolve("grpc-chain.pem");
    Path key = work.resolve("grpc-key.pem");
    pki.writeServerPem(chain, key);
    grpc = new GrpcEcho(chain, key);
    Path cas = work.resolve("upstream-cas.pem");
    Files.writeString(cas, Files.readString(fixture.testCa) + Files.readString(pki.writeCa(work.resolve("g.pem"))));
    cli = fixture.newCli();
    cli.env.put("AUTHSOME_UPSTREAM_CA_FILE", cas.toString());
    cli.env.put("AUTHSOME_PROXY_RESOLVE", cli.env.get("AUTHSOME_PROXY_RESOLVE") + "," + GRPC_HOST
        + ":443=127.0.0.1:" + grpc.port());
    Path yaml = Files.writeString(work.resolve("e2e-grpc.yaml"), GRPC_DEFINITION);
    Result register = cli.run("register", yaml.toString());
    assertThat(register.exit()).as(register.toString()).isZero();
    Result login = cli.feed(GRPC_KEY + "\n", "login", "e2e-grpc", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (grpc != null) {
      grpc.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void curlSpeakingHttp2_reachesAnHttp11OnlyUpstream_withTheCredential() {
    require(runs("curl", "--version"), "curl is not installed (apt-get install curl)");
    Result r = cli.run("run", "--", "curl", "-sS", "--http2", "-o", "/dev/null", "-w", "%{http_version}",
        "https://" + ROUTED + "/routed/h2-curl");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).as("HTTP version curl spoke to the proxy").isEqualTo("2");
    assertThat(fixture.upstream.seen("/routed/h2-curl")).singleElement()
        .satisfies(s -> assertThat(s.authorization()).isEqualTo("Bearer " + KEY));
  }

  @Test
  void aGrpcJavaChild_makesAllFourKindsOfCall_withTheCredentialAsMetadata() {
    String java = ProcessHandle.current().info().command().orElse("java");
    Result r = cli.run("run", "--", java, "-cp", System.getProperty("java.class.path"),
        GrpcChild.class.getName(), GRPC_HOST);

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).contains("UNARY unary:hi").contains("CLIENT_STREAM joined:ab")
        .contains("BIDI bidi:one,bidi:two").contains("REFUSE PERMISSION_DENIED not for you")
        .contains("SERVER_STREAM first,second").doesNotContain(GRPC_KEY);
    long gap = Long.parseLong(r.out().replaceAll("(?s).*gap_ms=(\\d+).*", "$1"));
    assertThat(gap).as("the streamed first message was held back").isGreaterThan(1000);
    assertThat(grpc.seenAuthorization).hasSize(5).allMatch(a -> a.equals("Bearer " + GRPC_KEY));
  }
}
