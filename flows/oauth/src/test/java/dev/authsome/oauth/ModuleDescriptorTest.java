package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's shape: what it exports (API and SPI only, to everyone) and what it may read. */
class ModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws IOException {
    Path classes = Path.of("target/classes/module-info.class");
    try (InputStream in = Files.newInputStream(classes)) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsOnlyTheApiAndTheQuirksSpi_unqualified() throws IOException {
    ModuleDescriptor d = descriptor();

    assertThat(d.name()).isEqualTo("dev.authsome.oauth");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.authsome.oauth", "dev.authsome.oauth.spi");
    assertThat(d.opens()).isEmpty();
  }

  @Test
  void readsCoreNimbusAndTheJdkHttpServer_butNoPluginHostOrShell() throws IOException {
    var requires = descriptor().requires().stream().map(ModuleDescriptor.Requires::name)
        .collect(Collectors.toSet());

    assertThat(requires).contains("dev.authsome.core", "oauth2.oidc.sdk", "com.nimbusds.jose.jwt", "jdk.httpserver");
    assertThat(requires).doesNotContain("dev.authsome.plugins", "dev.authsome.shell", "pf4j");
  }
}
