package dev.authsome.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProviderDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import org.junit.jupiter.api.Test;

/** Pins the module structure: the host exports only its API, and core knows nothing of PF4J or the host. */
class ModuleStructureTest {

  private static ModuleDescriptor read(Class<?> type) throws IOException {
    // the class path entry is a folder (test) or the packaged jar (verify in a reactor)
    var location = type.getProtectionDomain().getCodeSource().getLocation();
    var descriptor = location.getPath().endsWith(".jar")
        ? new java.net.URL("jar:" + location + "!/module-info.class")
        : new java.net.URL(location, "module-info.class");
    try (InputStream in = descriptor.openStream()) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void host_exportsOnlyItsApiPackage_andRequiresPf4jAndSlf4j() throws IOException {
    ModuleDescriptor host = read(PluginHost.class);
    assertThat(host.name()).isEqualTo("dev.authsome.plugins");
    assertThat(host.exports()).extracting(Exports::source).containsExactly("dev.authsome.plugins");
    assertThat(host.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(host.requires()).extracting(Requires::name).contains("dev.authsome.core", "pf4j", "org.slf4j");
  }

  @Test
  void core_requiresNeitherPf4jNorTheHost() throws IOException {
    ModuleDescriptor core = read(ProviderDefinition.class);
    assertThat(core.requires()).extracting(Requires::name).doesNotContain("pf4j", "dev.authsome.plugins");
  }
}
