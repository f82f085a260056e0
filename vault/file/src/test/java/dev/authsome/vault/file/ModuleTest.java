package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins the module's shape: a ServiceLoader backend that exports nothing and needs only core and jackson-core. */
class ModuleTest {

  @Test
  void moduleDescriptor_exportsNothing_providesTheBackend_andRequiresOnlyCoreAndJacksonCore() throws Exception {
    Path classes = Path.of(FileVaultProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor module = ModuleFinder.of(classes).findAll().iterator().next().descriptor();

    assertThat(module.name()).isEqualTo("dev.authsome.vault.file");
    assertThat(module.exports()).isEmpty();
    assertThat(module.opens()).isEmpty();
    assertThat(module.provides()).singleElement().satisfies(p -> {
      assertThat(p.service()).isEqualTo("dev.authsome.core.spi.VaultProvider");
      assertThat(p.providers()).containsExactly(FileVaultProvider.class.getName());
    });
    assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("java.base", "dev.authsome.core", "com.fasterxml.jackson.core", "org.jspecify");
  }
}
