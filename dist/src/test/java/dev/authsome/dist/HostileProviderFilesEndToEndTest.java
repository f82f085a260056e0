package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile provider files in {@code $AUTHSOME_HOME/providers/}, read by the real {@code bin/authsome}: {@code doctor}
 * names each in one line that drives no terminal, {@code inspect} refuses it with exit 2, and every command keeps
 * working for the good providers. The full corpus
 * runs against the reader in {@code ProviderFilesHostileTest}; this proves the same in the process users run.
 */
class HostileProviderFilesEndToEndTest {
  private static final String GOOD = """
      name: %s
      display_name: Acme
      auth_type: api_key
      flow: api_key
      api_key: {header_name: Authorization, header_prefix: Bearer}
      api_url: api.acme.example
      """;

  @TempDir Path home;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
  }

  @Test
  void hostileProviderFiles_areEachNamedInOneLine_andEveryCommandKeepsWorking() throws IOException {
    Path dir = Files.createDirectories(home.resolve("providers"));
    StringBuilder laughs = new StringBuilder("a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (int i = 1; i < 9; i++) {
      laughs.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ",").repeat(8))
          .append("*a").append(i - 1).append("]\n");
    }
    Map<String, String> files = new LinkedHashMap<>();
    files.put("huge.yaml", GOOD.formatted("huge") + "description: " + "d".repeat(2 << 20) + "\n");
    files.put("types.yaml", GOOD.formatted("types").replace("api_url: api.acme.example", "api_url: {a: [1]}"));
    files.put("walk.yaml", GOOD.formatted("\"../../evil\""));
    files.put("everyhost.yaml", GOOD.formatted("everyhost").replace("api_url: api.acme.example",
        "api_url: ['regex:.*']"));
    files.put("escape.yaml", GOOD.formatted("\"esc\\e]0;owned\\a\\e[2J\""));
    files.put("header.yaml", GOOD.formatted("header").replace("header_name: Authorization",
        "header_name: \"X\\r\\nInjected: yes\""));
    files.put("binary.json", "\u0000\u0001\u00ff{\"name\":");
    for (var f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("acme.yaml"), GOOD.formatted("acme"));
    // a billion-laughs document: its aliases are never expanded, so it loads as a harmless provider
    Files.writeString(dir.resolve("bomb.yaml"), laughs + GOOD.formatted("bomb"));
    Cli cli = new Cli(home);

    Result list = cli.run("list");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("acme").contains("bomb").doesNotContain("everyhost").doesNotContain("evil");
    // doctor names every refused file, each on one line that drives no terminal
    Result doctor = cli.run("doctor");
    assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(1);
    String report = doctor.out() + doctor.err();
    for (String name : files.keySet()) {
      assertThat(report).as("doctor names " + name).contains("providers/" + name);
    }
    assertThat(report).as("no escape or control character reaches the terminal")
        .doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]");
    report.lines().filter(l -> l.contains("providers/")).forEach(l ->
        assertThat(l.length()).as("one readable line: " + l.substring(0, Math.min(200, l.length()))).isLessThan(600));
    // asking for a refused definition by name is a usage error with that one line, never a stack trace
    for (String name : List.of("everyhost", "types", "header")) {
      Result inspect = cli.run("inspect", name);
      assertThat(inspect.exit()).as(inspect.toString()).isEqualTo(2);
      assertThat(inspect.err()).contains("providers/" + name + ".yaml").doesNotContain("\tat ")
          .doesNotContain("Exception");
    }

    // the process keeps serving: a login and a read for the good and the bundled providers
    Result login = cli.feed("sk-hostileFILES0123456789abcdef\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(cli.run("get", "openai", "--field", "status").out().strip()).isEqualTo("connected");
    Result inspect = cli.run("inspect", "acme");
    assertThat(inspect.exit()).as(inspect.toString()).isZero();
  }
}
