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

    assertThat(packages.module("dev.authsome.core.internal.Home")).contains("dev.authsome.core");
    // a class the application lacks, in an internal package (one a plugin jar would bring in itself)
    assertThat(packages.module("dev.authsome.core.internal.Backdoor")).contains("dev.authsome.core");
    assertThat(packages.module("dev.authsome.plugins.internal.PluginRuntime")).contains("dev.authsome.plugins");
    assertThat(packages.module("dev.authsome.core.ProviderDefinition")).isEmpty();
    assertThat(packages.module("dev.authsome.core.spi.AuthFlow")).isEmpty();
    assertThat(packages.module("dev.authsome.plugins.PluginHost")).isEmpty();
    // a plugin's own dev.authsome package (the bundled flows'), and classes outside authsome
    assertThat(packages.module("dev.authsome.flow.pkce.PkceFlow")).isEmpty();
    assertThat(packages.module("org.pf4j.PluginManager")).isEmpty();
  }

  @Test
  void fromCompleteDescriptors_qualifiedExportsCountAsInternal_unqualifiedOnesDoNot_andOtherModulesAreIgnored() {
    ModuleDescriptor authsome = ModuleDescriptor.newModule("dev.authsome.example")
        .packages(Set.of("dev.authsome.example", "dev.authsome.example.impl", "dev.authsome.example.shared"))
        .exports("dev.authsome.example")
        .exports(Set.of(), "dev.authsome.example.shared", Set.of("dev.authsome.friend"))
        .build();
    ModuleDescriptor other = ModuleDescriptor.newModule("dev.authsomething")
        .packages(Set.of("dev.authsomething.impl"))
        .build();

    InternalPackages packages = InternalPackages.from(List.of(authsome, other));

    assertThat(packages.module("dev.authsome.example.impl.A")).contains("dev.authsome.example");
    assertThat(packages.module("dev.authsome.example.shared.B")).contains("dev.authsome.example");
    assertThat(packages.module("dev.authsome.example.C")).isEmpty();
    assertThat(packages.module("dev.authsomething.impl.D")).isEmpty();
    assertThat(packages.module("dev.authsome.unknown.E")).isEmpty();
  }
}
