package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.AuthType;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a refresh response is merged into the record it renews. */
class RenewedRecordTest {
  private static final Instant OBTAINED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T11:00:00Z");

  private static ConnectionRecord record(Instant expiresAt) {
    return new ConnectionRecord(3, "idp", "default", "default", AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED,
        null, List.of(), List.of("openid"), "access-1", "refresh-1", null, "Bearer", expiresAt, OBTAINED, null,
        ConnectionRecord.Account.UNKNOWN, Map.of());
  }

  private static TokenSet tokens(Optional<Duration> expiresIn) {
    return new TokenSet("access-2", Optional.empty(), Optional.empty(), "Bearer", expiresIn, List.of());
  }

  @Test
  void refreshResponseWithoutExpiresIn_keepsThePreviousLifetime_insteadOfNeverExpiring() {
    ConnectionRecord renewed = OAuthConnections.renewed(record(OBTAINED.plus(Duration.ofHours(1))),
        tokens(Optional.empty()), NOW);

    assertThat(renewed.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
    assertThat(renewed.refreshToken()).as("not rotated, so kept").isEqualTo("refresh-1");
  }

  @Test
  void refreshResponseWithExpiresIn_usesIt() {
    ConnectionRecord renewed = OAuthConnections.renewed(record(OBTAINED.plus(Duration.ofHours(1))),
        tokens(Optional.of(Duration.ofMinutes(5))), NOW);

    assertThat(renewed.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aTokenThatNeverHadAnExpiry_staysWithoutOne() {
    assertThat(OAuthConnections.renewed(record(null), tokens(Optional.empty()), NOW).expiresAt()).isNull();
  }
}
