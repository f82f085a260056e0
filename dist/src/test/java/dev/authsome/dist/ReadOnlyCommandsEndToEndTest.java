package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Read-only commands on a fresh home create nothing (no folders, no vault, no master key choice, no config.yaml, no
 * plugin index) and work on a read-only home: a user who only looks never gets files, or a failure.
 */
class ReadOnlyCommandsEndToEndTest {
  @TempDir Path tmp;

  @BeforeAll
  static void requireDistribution() {
    Cli.assumeComplete();
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "whoami", "doctor"})
  void onAFreshHome_createsNothing(String command) {
    Path home = tmp.resolve("fresh-home");
    Cli cli = new Cli(home);

    Result r = cli.run(command);

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(home).as("nothing created by '" + command + "'").doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"list", "whoami", "doctor"})
  void onAnEmptyReadOnlyHome_works(String command) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("read-only-home"));
    Cli cli = new Cli(home);
    ReadOnly.makeReadOnly(home, cli);

    Result r = cli.run(command);

    assertThat(r.exit()).as(r.toString()).isZero();
    try (var files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }
}
