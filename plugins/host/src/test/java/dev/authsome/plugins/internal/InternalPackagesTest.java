package dev.authsome.plugins.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which packages plugins are refused: read from the module descriptors, not from a list kept by hand. */
class InternalPackagesTest {

  @Test
  void onTheClassPath_corePackagesNotExported_areInternal_andTheExportedApiIsNot() {
    InternalPackages packages = InternalPackages.of(InternalPackagesTest.class.getClassLoader());

    assertThat(packages.module("dev.authsome.core.internal")).contains("dev.authsome.core");
    assertThat(packages.module("dev.authsome.plugins.internal")).contains("dev.authsome.plugins");
    assertThat(packages.module("dev.authsome.core")).isEmpty();
    assertThat(packages.module("dev.authsome.core.spi")).isEmpty();
    assertThat(packages.module("dev.authsome.plugins")).isEmpty();
    // nothing outside authsome's modules, and no package of a jar that has no authsome descriptor
    assertThat(packages.all().keySet()).allSatisfy(p -> assertThat(p).startsWith("dev.authsome."));
    assertThat(packages.module("dev.authsome.flow.pkce")).isEmpty();
  }

  @Test
  void qualifiedExportsCountAsInternal_unqualifiedOnesDoNot_andOtherModulesAreIgnored() {
    ModuleDescriptor authsome = ModuleDescriptor.newModule("dev.authsome.example")
        .packages(Set.of("dev.authsome.example", "dev.authsome.example.impl", "dev.authsome.example.shared"))
        .exports("dev.authsome.example")
        .exports(Set.of(), "dev.authsome.example.shared", Set.of("dev.authsome.friend"))
        .build();
    ModuleDescriptor other = ModuleDescriptor.newModule("com.example")
        .packages(Set.of("com.example.impl"))
        .build();

    InternalPackages packages = InternalPackages.from(List.of(authsome, other));

    assertThat(packages.all()).containsOnlyKeys("dev.authsome.example.impl", "dev.authsome.example.shared");
  }
}
