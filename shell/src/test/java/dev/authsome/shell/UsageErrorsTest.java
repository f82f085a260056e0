package dev.authsome.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mistyped command line gets one line that says what was wrong in the user's words, and exit code 2. */
class UsageErrorsTest {
  @TempDir Path home;

  private String stderr;

  private int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("AUTHSOME_HOME", home.toString()), false, h -> {
          throw new AssertionError("a usage error needs no plugins");
        });
    stderr = err.toString(StandardCharsets.UTF_8).strip();
    return code;
  }

  @Test
  void aMistypedCommand_isNamedAsUnknown_withTheClosestOne() {
    assertThat(run("lst")).isEqualTo(2);
    assertThat(stderr)
        .isEqualTo("Error: Unknown command 'lst' (did you mean 'list'?); run 'authsome --help' for usage.");
  }

  @Test
  void aWordThatIsNoCommandAtAll_isNamedAsUnknown() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(stderr).startsWith("Error: Unknown command 'frobnicate'").endsWith("; run 'authsome --help' for usage.")
        .doesNotContain("__complete");
  }

  @Test
  void aMistypedSubcommand_isNamedAsUnknownThere() {
    assertThat(run("vault", "rekee")).isEqualTo(2);
    assertThat(stderr)
        .isEqualTo("Error: Unknown command 'rekee' (did you mean 'rekey'?); run 'authsome vault --help' for usage.");
  }

  @Test
  void anArgumentTooMany_isNamedAsUnexpected() {
    assertThat(run("get", "openai", "extra")).isEqualTo(2);
    assertThat(stderr).isEqualTo("Error: Unexpected argument 'extra'; run 'authsome get --help' for usage.");
  }

  @Test
  void anUnknownOption_keepsItsMessage() {
    assertThat(run("get", "openai", "--bogus")).isEqualTo(2);
    assertThat(stderr).isEqualTo("Error: Unknown option: '--bogus'; run 'authsome get --help' for usage.");
  }
}
