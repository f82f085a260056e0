package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.ProxyRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The route table decides among the entries covering the request's host (remembered per authority) instead of
 * scanning every route for each request; under policy deny the table holds the whole catalogue. The answers must be
 * the same on first and repeated lookups, and past the memo's bound.
 */
class RouteTableCandidatesTest {
  private static ProxyRoute route(String provider, boolean connected, List<String> api, List<String> excluded) {
    return new ProxyRoute(provider, connected ? "default" : null, api, excluded, Map.of());
  }

  private static RouteTable table() {
    List<ProxyRoute> routes = new ArrayList<>();
    // a catalogue-sized table: many unconnected providers around the few that matter
    for (int i = 0; i < 300; i++) {
      routes.add(route("p" + i, false, List.of("api" + i + ".example.com", "regex:(^|\\.)p" + i + "\\.example\\.org$"),
          List.of()));
    }
    routes.add(route("bench", true, List.of("bench.authsome.test"), List.of()));
    routes.add(route("gmail", true, List.of("https://gmail.googleapis.com/gmail/v1"),
        List.of("https://gmail.googleapis.com/gmail/v1/oauth")));
    routes.add(route("google", true, List.of("regex:(^|\\.)googleapis\\.com$"), List.of()));
    routes.add(route("twin-a", true, List.of("twin.test"), List.of()));
    routes.add(route("twin-b", true, List.of("twin.test"), List.of()));
    routes.add(route("ported", true, List.of("ported.test:8443"), List.of()));
    return new RouteTable(routes);
  }

  private static String decide(RouteTable t, String host, int port, String path) {
    RouteTable.Decision d = t.decide(new Authority(host, port), path);
    return d.getClass().getSimpleName() + ":" + RouteTable.providerOf(d);
  }

  @Test
  void decisionsAreTheSameOnFirstAndRepeatedLookups() {
    RouteTable t = table();
    for (int round = 0; round < 2; round++) { // the second round is served from the per-authority candidates
      assertThat(decide(t, "bench.authsome.test", 443, "/")).isEqualTo("Inject:bench");
      assertThat(decide(t, "gmail.googleapis.com", 443, "/gmail/v1/users")).isEqualTo("Inject:gmail");
      assertThat(decide(t, "gmail.googleapis.com", 443, "/gmail/v1/oauth")).isEqualTo("OAuthEndpoint:gmail");
      assertThat(decide(t, "gmail.googleapis.com", 443, "/drive")).isEqualTo("Inject:google");
      assertThat(decide(t, "storage.googleapis.com", 443, "/x")).isEqualTo("Inject:google");
      assertThat(decide(t, "api7.example.com", 443, "/")).isEqualTo("Unconnected:p7");
      assertThat(decide(t, "eu.p12.example.org", 443, "/")).isEqualTo("Unconnected:p12");
      assertThat(decide(t, "twin.test", 443, "/")).isEqualTo("Ambiguous:null");
      assertThat(decide(t, "ported.test", 8443, "/")).isEqualTo("Inject:ported");
      assertThat(decide(t, "ported.test", 443, "/")).isEqualTo("Miss:null");
      assertThat(decide(t, "elsewhere.test", 443, "/")).isEqualTo("Miss:null");
      assertThat(decide(t, "127.0.0.1", 443, "/")).isEqualTo("Miss:null");
    }
  }

  @Test
  void coversAndUnconnectedOwnerUseTheSameCandidates() {
    RouteTable t = table();
    for (int round = 0; round < 2; round++) {
      assertThat(t.covers(new Authority("bench.authsome.test", 443))).isTrue();
      assertThat(t.covers(new Authority("api3.example.com", 443))).isFalse();
      assertThat(t.unconnectedOwner(new Authority("api3.example.com", 443))).contains("p3");
      assertThat(t.unconnectedOwner(new Authority("bench.authsome.test", 443))).isEmpty();
      assertThat(t.covers(new Authority("localhost", 443))).isFalse();
    }
  }

  @Test
  void manyHostsBeyondTheCacheBoundStillGetDecisions() {
    RouteTable t = table();
    for (int i = 0; i < RouteTable.CANDIDATE_CACHE_LIMIT + 10; i++) {
      assertThat(decide(t, "h" + i + ".googleapis.com", 443, "/")).isEqualTo("Inject:google");
    }
    assertThat(decide(t, "bench.authsome.test", 443, "/v1")).isEqualTo("Inject:bench");
  }
}
