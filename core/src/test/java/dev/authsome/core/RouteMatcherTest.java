package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatcherTest {

  private static boolean routes(List<String> apiUrls, String url) {
    return RouteMatcher.of(apiUrls).matches(URI.create(url));
  }

  @Test
  void host_matchesThatHostOnAnyPath_caseInsensitively() {
    List<String> github = List.of("api.github.com");
    assertThat(routes(github, "https://api.github.com/user")).isTrue();
    assertThat(routes(github, "https://API.GitHub.com./repos")).isTrue();
    assertThat(routes(github, "https://api.github.com.evil.example/user")).isFalse();
    assertThat(routes(github, "https://evilapi.github.com/user")).isFalse();
  }

  @Test
  void urlEntry_matchesItsHostAndPathPrefix_atASegmentBoundary() {
    List<String> gmail = List.of("https://gmail.googleapis.com/gmail/v1");
    assertThat(routes(gmail, "https://gmail.googleapis.com/gmail/v1/users/me/messages")).isTrue();
    assertThat(routes(gmail, "https://gmail.googleapis.com/gmail/v1")).isTrue();
    assertThat(routes(gmail, "https://gmail.googleapis.com/gmail/v1x")).isFalse();
    assertThat(routes(gmail, "https://gmail.googleapis.com/drive/v3")).isFalse();
  }

  @Test
  void anchoredRegex_matchesTheDomainAndItsSubdomainsOnly() {
    List<String> google = List.of("regex:(^|\\.)googleapis\\.com$");
    assertThat(routes(google, "https://googleapis.com/x")).isTrue();
    assertThat(routes(google, "https://www.googleapis.com/x")).isTrue();
    assertThat(routes(google, "https://googleapis.com.attacker.example/x")).isFalse();
    assertThat(routes(google, "https://evilgoogleapis.com/x")).isFalse();
  }

  @Test
  void unanchoredPythonEraRegex_mustMatchTheWholeHost() {
    List<String> old = List.of("regex:.*githubusercontent\\.com");
    assertThat(routes(old, "https://raw.githubusercontent.com/x")).isTrue();
    assertThat(routes(old, "https://raw.githubusercontent.com.evil.example/x")).isFalse();
  }

  @Test
  void hostWithPort_matchesOnlyThatPort_andUnresolvedTemplatesNeverMatch() {
    assertThat(routes(List.of("127.0.0.1:8443"), "https://127.0.0.1:8443/x")).isTrue();
    assertThat(routes(List.of("127.0.0.1:8443"), "https://127.0.0.1/x")).isFalse();
    assertThat(routes(List.of("{base_url}/api"), "https://base_url/api")).isFalse();
    assertThat(routes(List.of("regex:["), "https://x.example/")).isFalse();
  }

  @Test
  void mostSpecificRoute_wins() {
    RouteMatcher matcher = RouteMatcher.of(List.of("regex:(^|\\.)googleapis\\.com$", "gmail.googleapis.com",
        "https://gmail.googleapis.com/gmail/v1"));
    assertThat(matcher.match(URI.create("https://gmail.googleapis.com/gmail/v1/x")).orElseThrow().entry())
        .isEqualTo("https://gmail.googleapis.com/gmail/v1");
    assertThat(matcher.match(URI.create("https://gmail.googleapis.com/other")).orElseThrow().entry())
        .isEqualTo("gmail.googleapis.com");
    assertThat(matcher.match(URI.create("https://drive.googleapis.com/")).orElseThrow().entry())
        .startsWith("regex:");
  }

  @Test
  void disguisedPatterns_thatCompileToMatchEverything_neverMatch() {
    // (?x) turns '#' into a comment: the "anchor" is dead text and the pattern is '.*'
    assertThat(routes(List.of("regex:(?x).*#(^|\\.)example\\.com$"), "https://attacker.example/")).isFalse();
    assertThat(routes(List.of("regex:\\Q\\E.*(^|\\.)example\\.com$"), "https://attacker.example/")).isFalse();
    assertThat(routes(List.of("regex:(?i).*(^|\\.)example\\.com$"), "https://attacker.example/")).isFalse();
    assertThat(RouteMatcher.of(List.of("regex:(?x).*#(^|\\.)example\\.com$")).coversHost("a.test", 443))
        .isFalse();
  }

  @Test
  void anchoredPattern_isHeldToItsLiteralDomain_whateverElseItSays() {
    RouteMatcher m = RouteMatcher.of(List.of("regex:.*(?:^|\\.)example\\.com$"));
    assertThat(m.coversHost("api.example.com", 443)).isTrue();
    assertThat(m.coversHost("example.com.evil.test", 443)).isFalse();
    assertThat(m.coversHost("notexample.com", 443)).isFalse();
  }

  @Test
  void dnsNames_listHostsAndAnchoredDomains_forTheCaConstraints() {
    RouteMatcher m = RouteMatcher.of(List.of("api.github.com", "https://uploads.github.com/x",
        "regex:(^|\\.)googleapis\\.com$", "regex:.*legacy\\.test"));
    assertThat(m.dnsNames()).containsExactly("api.github.com", "googleapis.com", "uploads.github.com");
    assertThat(m.coversHost("uploads.github.com", 443)).isTrue();
    assertThat(m.coversHost("github.com", 443)).isFalse();
  }
}
