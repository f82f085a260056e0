package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import dev.authsome.plugins.TestJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drop-in plugin that links against authsome's internals fails to load, on the default class-path launch as on the
 * module path, with a message saying the package is internal and what to use instead; a well-behaved plugin next to
 * it keeps working. On the class path nothing but the plugin class loader stands between a plugin and
 * {@code dev.authsome.core.internal}.
 */
class PluginIsolationEndToEndTest {
  /** A flow that reads authsome's home through core's internals (constructed when the flow is first asked for). */
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

  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    Cli.assumeComplete();
    cli = new Cli(home);
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    TestJars.plugin("flow-peek").flows("peek").extension("t.PeekFlow", PEEKING_FLOW)
        .writeTo(plugins.resolve("flow-peek-0.1.0.jar"));
    TestJars.plugin("flow-echo").flows("echo").extension("t.EchoFlow", TestJars.flowSource("t.EchoFlow", "echo"))
        .writeTo(plugins.resolve("flow-echo-0.1.0.jar"));
    Files.createDirectories(home.resolve("providers"));
    Files.writeString(home.resolve("providers/acme-e2e.yaml"), PluginsAndRegisterEndToEndTest.ACME);
  }

  @Test
  void classPathLaunch_refusesCoreInternalsToAPlugin_andAWellBehavedPluginStillRuns() {
    assertRefusedAndEchoRuns();
  }

  @Test
  void modulePathLaunch_refusesThemWithTheSameMessage() {
    cli.env.put("AUTHSOME_LAUNCH", "module");
    assertRefusedAndEchoRuns();
  }

  private void assertRefusedAndEchoRuns() {
    Result peek = cli.feed("acme_12345678\n", "login", "acme-e2e", "--flow", "peek", "--stdin");
    assertThat(peek.exit()).as(peek.toString()).isNotZero();
    assertThat(peek.err()).as(peek.toString())
        .contains("flow-peek")
        .contains("dev.authsome.core.internal.Home is in package dev.authsome.core.internal, which is internal to"
            + " authsome")
        .contains("plugins must use the dev.authsome.core.spi API")
        .doesNotContain("\tat ");
    assertThat(cli.run("list", "--json").exit()).isZero();

    // the well-behaved flow loads and runs: its login refuses by design, with its own message
    Result echo = cli.feed("acme_12345678\n", "login", "acme-e2e", "--flow", "echo", "--stdin");
    assertThat(echo.err()).as(echo.toString()).contains("login refused by test flow")
        .doesNotContain("internal to authsome");
    // and a plain API-key login is unaffected by either jar
    Result plain = cli.feed("acme_12345678\n", "login", "acme-e2e", "--stdin");
    assertThat(plain.exit()).as(plain.toString()).isZero();
  }
}
