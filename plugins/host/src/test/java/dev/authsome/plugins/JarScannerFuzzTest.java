package dev.authsome.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars are outside input: corrupted bytes, truncated files and inflating bombs must only ever become a
 * reported problem, never an exception out of the host or an unbounded read. Seeded, so a failure reproduces.
 */
class JarScannerFuzzTest {
  @TempDir Path home;

  @Test
  void corruptedAndTruncatedJars_becomeProblems_neverExceptions() throws IOException {
    Path plugins = Files.createDirectories(home.resolve("plugins"));
    Path good = TestJars.provider("acme", TestJars.apiKeyProvider("acme", "Acme")).writeTo(home.resolve("good.jar"));
    byte[] original = Files.readAllBytes(good);
    Random random = new Random(7);
    int problems = 0;
    for (int i = 0; i < 300; i++) {
      byte[] bytes = original.clone();
      if (i % 3 == 0) {
        bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      } else {
        for (int e = 0; e < 1 + random.nextInt(8); e++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      Path jar = plugins.resolve("fuzz.jar");
      Files.write(jar, bytes);
      try (PluginHost host = PluginHost.open(new PluginHostConfig(home, null, false))) {
        host.catalogue().list();
        problems += host.problems().size();
      }
    }
    assertThat(problems).as("mutations that break the jar are reported").isPositive();
  }

  @Test
  void manifestThatInflatesToMegabytes_isRefusedWithoutReadingItAll() throws IOException {
    Path jar = Files.createDirectories(home.resolve("plugins")).resolve("bomb.jar");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      byte[] line = "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes();
      for (int i = 0; i < 200_000; i++) {
        out.write(line);
      }
      out.closeEntry();
    }
    try (PluginHost host = PluginHost.open(new PluginHostConfig(home, null, false))) {
      assertThat(host.problems()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("manifest is larger"));
    }
  }
}
