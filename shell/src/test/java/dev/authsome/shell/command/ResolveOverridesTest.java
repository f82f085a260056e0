package dev.authsome.shell.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResolveOverridesTest {
  private static final String ORIGIN = "env AUTHSOME_PROXY_RESOLVE";

  @Test
  void parse_mapsHostPortToTheAddressToDial_withLowerCaseKeys() {
    Map<String, InetSocketAddress> m = ResolveOverrides.parse(
        " API.Example.test:443=127.0.0.1:8443 , other.test:80=[::1]:8080,", ORIGIN);
    assertThat(m).containsOnlyKeys("api.example.test:443", "other.test:80");
    assertThat(m.get("api.example.test:443").getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(m.get("api.example.test:443").getPort()).isEqualTo(8443);
    assertThat(m.get("other.test:80").getAddress().isLoopbackAddress()).isTrue();
    assertThat(m.get("other.test:80").getPort()).isEqualTo(8080);
  }

  @Test
  void parse_blank_isNoOverride() {
    assertThat(ResolveOverrides.parse("", ORIGIN)).isEmpty();
    assertThat(ResolveOverrides.parse("  ", ORIGIN)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "api.example.test=127.0.0.1:8443",            // no port on the host
      "api.example.test:443=127.0.0.1",             // no port on the address
      "api.example.test:443=localhost:8443",        // a name, not an address
      "api.example.test:443=999.0.0.1:8443",        // not IPv4
      "api.example.test:443=[abc]:8443",            // not IPv6 (and must not be looked up)
      "api.example.test:443=[1.2.3.4]:8443",        // IPv4 in brackets
      "api.example.test:70000=127.0.0.1:8443",      // port out of range
      "api.example.test:0=127.0.0.1:8443",          // port 0
      "..test:443=127.0.0.1:1",                     // not a host name
      "api.example.test:443=127.0.0.1:1,api.example.test:443=127.0.0.1:2", // twice
      "https://api.example.test:443=127.0.0.1:8443"})
  void parse_badEntry_isUsageErrorNamingTheEntryAndOrigin(String value) {
    assertThatThrownBy(() -> ResolveOverrides.parse(value, ORIGIN))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("proxy.resolve entry '").contains(ORIGIN)
              .contains("host:port=address:port");
        });
  }

  @Test
  void parse_namesOnlyTheBadEntry() {
    assertThatThrownBy(() -> ResolveOverrides.parse("good.test:443=127.0.0.1:1,bad.test:443", ORIGIN))
        .hasMessageContaining("'bad.test:443'").hasMessageNotContaining("good.test");
  }

  /** Random input: a map or a usage error, never another exception (and never a DNS lookup: no names pass). */
  @Test
  void parse_randomInput_returnsOrFailsAsUsageOnly() {
    Random random = new Random(9);
    String alphabet = "ab.:=,[]0123456789-%/ \t";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        ResolveOverrides.parse(sb.toString(), ORIGIN)
            .values().forEach(a -> assertThat(a.isUnresolved()).isFalse());
      } catch (AuthsomeException e) {
        assertThat(e.code()).as(sb.toString()).isEqualTo(ErrorCode.USAGE);
      }
    }
  }
}
