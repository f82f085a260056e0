package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authsome.dist.Cli.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two streams of authsome processes writing the same vault at once never lose a write. */
class ConcurrentLoginsEndToEndTest {
  static final int PER_WRITER = 100;

  @TempDir Path home;

  @Test
  void twoWritersOf100ConnectionsEach_endWithAll200Present() {
    Cli.assumeComplete();
    Cli cli = new Cli(home);
    // create the vault (and its key) first, so that both writers open the same one
    Result first = cli.feed("sk-concurrentKEY0123456789abcdef\n", "login", "openai", "--connection", "seed",
        "--stdin");
    assertThat(first.exit()).as(first.toString()).isZero();

    CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> writer(cli, "a"));
    CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> writer(cli, "b"));
    assertThat(a.join()).as("failures of writer a").isEmpty();
    assertThat(b.join()).as("failures of writer b").isEmpty();

    Result list = cli.run("list", "--json");
    JsonNode openai = ApiKeyLoginEndToEndTest.find(list.json().get("bundled"), "openai");
    TreeSet<String> names = new TreeSet<>();
    openai.get("connections").forEach(c -> names.add(c.get("connection_name").asText()));
    names.remove("seed");
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 1; i <= PER_WRITER; i++) {
      expected.add("a" + i);
      expected.add("b" + i);
    }
    assertThat(names).hasSize(2 * PER_WRITER).isEqualTo(expected);
  }

  private static List<String> writer(Cli cli, String prefix) {
    List<String> failures = new ArrayList<>();
    for (int i = 1; i <= PER_WRITER; i++) {
      String key = "sk-" + prefix + "KEY" + i + "x0123456789abcdefghijk";
      Result r = cli.feed(key + "\n", "login", "openai", "--connection", prefix + i, "--stdin");
      if (r.exit() != 0) {
        failures.add(prefix + i + ": " + r);
      }
    }
    return failures;
  }
}
