package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProviderDefinitions.Format;
import dev.authsome.core.internal.VaultRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Time-boxed fuzzing of core's parsers of outside input (see {@link Fuzz}): provider documents, route matching, and
 * the decoding of a vault record. Each prints its executions.
 */
class ParserFuzzTest {
  private static final String TOKENS = "{}[]:,'\"\n\t -&*!|>#%@`?\\0x1.5e9\u0085\u2028\u001b";

  @Test
  void providerDocuments_onlyEverFailWithAOneLineInvalidProvider() {
    List<byte[]> seeds = new ArrayList<>();
    for (String s : List.of("github.yaml", "python-era/github.json", "python-era/openai.json")) {
      seeds.add(ProviderDefinitionsTest.resource(s).getBytes(StandardCharsets.UTF_8));
    }
    long n = Fuzz.run("provider documents", random -> {
      byte[] doc = mutate(seeds.get(random.nextInt(seeds.size())), random);
      Format format = random.nextBoolean() ? Format.YAML : Format.JSON;
      ProviderDefinition d;
      try {
        d = ProviderDefinitions.parse(doc, format, "fuzz.yaml");
      } catch (AuthsomeException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u001b").contains("fuzz.yaml");
        return;
      }
      try {
        ProviderDefinitions.validate(d, "fuzz.yaml", ProviderDefinitions.BUILTIN_FLOWS);
      } catch (AuthsomeException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROVIDER);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\u001b");
      }
    });
    assertThat(n).isPositive();
  }

  @Test
  void routes_thatPassValidation_neverMatchAHostOutsideTheirCertificateNames() {
    String[] hosts = {"api.example.com", "example.com", "evil.example", "example.com.evil.test", "notexample.com",
        "a.b.example.com", "127.0.0.1", "API.EXAMPLE.COM.", "xn--e1a.example.com", "[::1]", "exa-mple.com"};
    String[] pieces = {".*", "^", "$", "(^|\\.)", "example", "\\.", "com", "(?i)", "(?x)", "#", "\\Q", "\\E", "|",
        "[a-z]+", "+", "?", "(", ")", "evil", ".", "api", "\\w", "(?:", "{2}", "\\b", "[^.]"};
    long n = Fuzz.run("route matching", random -> {
      List<String> routes = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(3); i++) {
        switch (random.nextInt(4)) {
          case 0 -> routes.add(hosts[random.nextInt(hosts.length)].replace("[", "").replace("]", ""));
          case 1 -> routes.add("https://" + hosts[random.nextInt(hosts.length)] + "/v" + random.nextInt(3));
          default -> {
            StringBuilder r = new StringBuilder("regex:");
            for (int j = 0; j < 1 + random.nextInt(8); j++) {
              r.append(pieces[random.nextInt(pieces.length)]);
            }
            routes.add(r.toString());
          }
        }
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("name", "acme");
      doc.put("auth_type", "api_key");
      doc.put("flow", "api_key");
      doc.put("api_url", routes);
      boolean valid;
      try {
        ProviderDefinitions.validate(ProviderDefinitions.fromMap(doc, "fuzz"), "fuzz",
            ProviderDefinitions.BUILTIN_FLOWS);
        valid = true;
      } catch (AuthsomeException e) {
        assertThat(e.getMessage()).doesNotContain("\n");
        valid = false;
      }
      RouteMatcher m = RouteMatcher.of(routes);
      var names = m.dnsNames();
      for (String h : hosts) {
        String host = h.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "").replace("[", "").replace("]", "");
        boolean matched = m.coversHost(h, 443) || m.match(h, 443, "/v1/x").isPresent();
        if (valid && matched) {
          assertThat(names.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d)))
              .as("%s matched %s outside %s", routes, h, names).isTrue();
        }
      }
    });
    assertThat(n).isPositive();
  }

  @Test
  void vaultRecords_decodeOrFailAsDamagedNamingTheKey() {
    ConnectionRecord r = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "github", "default", "work",
        AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, null, List.of("api.github.com"), List.of("repo"),
        "at", "rt", null, "Bearer", Instant.parse("2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T09:00:00Z"),
        null, new ConnectionRecord.Account("42", "octocat"), Map.of("k", "v"), "client-a");
    byte[] seed = VaultRecords.write(r).getBytes(StandardCharsets.UTF_8);
    String key = "profile:default:github:connection:work";
    long n = Fuzz.run("vault record decoding", random -> {
      String json = new String(mutate(seed, random), StandardCharsets.UTF_8);
      try {
        VaultRecords.readConnection(key, json);
      } catch (AuthsomeException e) {
        assertThat(e.getMessage()).contains(key).doesNotContain("\n");
        // a damaged record never has its (possibly secret) content quoted back
        assertThat(e.getMessage()).doesNotContain("\"at\"").doesNotContain("\"rt\"");
      }
    });
    assertThat(n).isPositive();
  }

  static byte[] mutate(byte[] input, Random random) {
    StringBuilder s = new StringBuilder(new String(input, StandardCharsets.UTF_8));
    int edits = 1 + random.nextInt(6);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(6)) {
        case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(20)));
        case 1 -> s.insert(at, TOKENS.charAt(random.nextInt(TOKENS.length())));
        case 2 -> s.setCharAt(at, (char) random.nextInt(0x250));
        case 3 -> {
          int end = Math.min(s.length(), at + random.nextInt(40));
          s.insert(random.nextInt(s.length()), s.substring(at, end));
        }
        case 4 -> s.setLength(at);
        default -> s.replace(at, Math.min(s.length(), at + 5), String.valueOf(random.nextLong()));
      }
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
