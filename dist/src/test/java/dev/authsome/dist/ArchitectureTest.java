package dev.authsome.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the architecture the code must keep: the core knows nothing of its plugins or of the terminal, only the shell
 * prints, packages have no cycles, and the shipped JPMS modules export only API and SPI packages.
 */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // The distribution's own jars (lib/ and plugins/) are exactly what ships; test classes are not among them.
    java.util.List<java.util.jar.JarFile> jars = new java.util.ArrayList<>();
    try {
      for (Path jar : authsomeJars()) {
        jars.add(new java.util.jar.JarFile(jar.toFile()));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    production = new ClassFileImporter().importJars(jars);
    // The rules below are only as good as what they see: make sure every layer is in the import.
    assertThat(production.contain("dev.authsome.core.Authsome")).isTrue();
    assertThat(production.contain("dev.authsome.shell.Main")).isTrue();
    assertThat(production.contain("dev.authsome.flow.pkce.PkceFlow")).isTrue();
    assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.authsome.proxy"))).isTrue();
    assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.authsome.vault.file"))).isTrue();
    assertThat(production.stream().anyMatch(c -> c.getPackageName().startsWith("dev.authsome.plugins"))).isTrue();
  }

  private static java.util.List<Path> authsomeJars() {
    try (Stream<Path> lib = Files.list(Cli.DIST.resolve("lib"));
        Stream<Path> ext = Files.list(Cli.DIST.resolve("lib/ext"));
        Stream<Path> plugins = Files.list(Cli.DIST.resolve("plugins"))) {
      return Stream.concat(Stream.concat(lib, ext), plugins)
          .filter(p -> p.getFileName().toString().startsWith("authsome-")
              || p.getFileName().toString().startsWith("provider-"))
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void core_dependsOnNoPluginHostTerminalOAuthLibraryOrBackend() {
    noClasses().that().resideInAPackage("dev.authsome.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.pf4j..", "org.jline..", "picocli..", "com.nimbusds..",
            "dev.authsome.plugins..", "dev.authsome.shell..", "dev.authsome.oauth..", "dev.authsome.vault..",
            "dev.authsome.flow..")
        .check(production);
  }

  @Test
  void onlyTheShell_writesToStandardOutputOrError() {
    noClasses().that().resideOutsideOfPackage("dev.authsome.shell..")
        // the catalogue generator runs at build time, inside Maven, and reports what it generated
        .and().resideOutsideOfPackage("dev.authsome.providers..")
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .check(production);
  }

  @Test
  void backendsAndFlows_neverReachIntoTheShellOrThePluginHost() {
    noClasses().that().resideInAnyPackage("dev.authsome.vault..", "dev.authsome.flow..", "dev.authsome.oauth..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.authsome.shell..", "dev.authsome.plugins..")
        .check(production);
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("dev.authsome.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void shippedModules_exportOnlyApiAndSpiPackages() {
    Set<String> exports = new TreeSet<>();
    for (ModuleReference ref : ModuleFinder.of(Cli.DIST.resolve("lib"), Cli.DIST.resolve("lib/ext")).findAll()) {
      ModuleDescriptor descriptor = ref.descriptor();
      if (!descriptor.name().startsWith("dev.authsome") || descriptor.isAutomatic()) {
        continue;
      }
      descriptor.exports().forEach(export -> {
        assertThat(export.isQualified()).as("qualified export %s in %s", export, descriptor.name()).isFalse();
        exports.add(descriptor.name() + ": " + export.source());
      });
      if (descriptor.name().startsWith("dev.authsome.vault.")) {
        assertThat(descriptor.exports()).as("vault backend %s exports nothing", descriptor.name()).isEmpty();
        assertThat(descriptor.provides()).as("vault backend %s provides a VaultProvider", descriptor.name())
            .anyMatch(p -> p.service().equals("dev.authsome.core.spi.VaultProvider"));
      }
    }
    assertThat(exports).contains("dev.authsome.core: dev.authsome.core", "dev.authsome.core: dev.authsome.core.spi");
    assertThat(exports).allMatch(e -> !e.contains(".internal"), "no internal package is exported");
  }
}
