package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProxyRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  static ProxyRoute connected(String provider, List<String> apiUrls, List<String> oauth) {
    return new ProxyRoute(provider, "default", apiUrls, oauth, Map.of());
  }

  static Authority at(String host) {
    return new Authority(host, 443);
  }

  @Test
  void mostSpecificRouteWins_aPathPrefixOverAHostOverAPattern() {
    RouteTable t = new RouteTable(List.of(
        connected("google", List.of("regex:(^|\\.)googleapis\\.com$"), List.of()),
        connected("gmail", List.of("https://gmail.googleapis.com/gmail/v1"), List.of())));

    assertThat(t.decide(at("gmail.googleapis.com"), "/gmail/v1/users/me?x=1"))
        .isInstanceOfSatisfying(RouteTable.Decision.Inject.class, d -> assertThat(d.route().provider())
            .isEqualTo("gmail"));
    assertThat(t.decide(at("gmail.googleapis.com"), "/gmail/v1x")).isInstanceOfSatisfying(
        RouteTable.Decision.Inject.class, d -> assertThat(d.route().provider()).isEqualTo("google"));
  }

  @Test
  void aTie_injectsNothing() {
    RouteTable t = new RouteTable(List.of(connected("a", List.of("api.same.test"), List.of()),
        connected("b", List.of("api.same.test"), List.of())));

    assertThat(t.decide(at("api.same.test"), "/")).isInstanceOfSatisfying(RouteTable.Decision.Ambiguous.class,
        d -> assertThat(d.providers()).containsExactly("a", "b"));
  }

  @Test
  void theProvidersOAuthEndpoints_areNeverInjected_evenUnderAnApiRoute() {
    RouteTable t = new RouteTable(List.of(connected("gh", List.of("github.test"),
        List.of("https://github.test/login/oauth/access_token"))));

    assertThat(t.decide(at("github.test"), "/login/oauth/access_token"))
        .isInstanceOf(RouteTable.Decision.OAuthEndpoint.class);
    assertThat(t.decide(at("github.test"), "/user")).isInstanceOf(RouteTable.Decision.Inject.class);
  }

  @Test
  void literalLoopbackNames_areNeverRoutedNorIntercepted_butOtherNamesAre() {
    RouteTable t = new RouteTable(List.of(connected("local", List.of("127.0.0.1", "localhost", "api.local.test"),
        List.of())));

    assertThat(t.decide(at("127.0.0.1"), "/")).isInstanceOf(RouteTable.Decision.Miss.class);
    assertThat(t.covers(at("localhost"))).isFalse();
    assertThat(t.covers(at("api.local.test"))).isTrue();
  }

  @Test
  void anUnconnectedProvider_isNamedSoTheAgentCanBeToldWhatToRun() {
    RouteTable t = new RouteTable(List.of(new ProxyRoute("slack", null, List.of("slack.test"), List.of(),
        Map.of())));

    assertThat(t.covers(at("slack.test"))).isFalse();
    assertThat(t.unconnectedOwner(at("slack.test"))).contains("slack");
    assertThat(t.decide(at("slack.test"), "/api")).isInstanceOf(RouteTable.Decision.Unconnected.class);
    assertThat(t.dnsNames()).isEmpty();
  }

  @Test
  void authority_parsesConnectTargets_andRejectsJunk() {
    assertThat(Authority.parse("API.Example.TEST:443", -1)).isEqualTo(new Authority("api.example.test", 443));
    assertThat(Authority.parse("[::1]:8443", -1)).isEqualTo(new Authority("::1", 8443));
    for (String bad : List.of("", "host", "host:0", "host:99999", "a b:443", "host:44x", "[::1", "h:1:2",
        "x".repeat(400) + ":443")) {
      assertThat(Authority.parse(bad, -1)).as(bad).isNull();
    }
    assertThat(new Authority("api.test", 443).sameAs("api.test:443", true)).isTrue();
    assertThat(new Authority("api.test", 443).sameAs("API.test", true)).isTrue();
    assertThat(new Authority("api.test", 443).sameAs("evil.test", true)).isFalse();
    assertThat(new Authority("api.test", 443).hostHeader(true)).isEqualTo("api.test");
  }
}
