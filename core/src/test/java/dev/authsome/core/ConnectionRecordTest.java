package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one way to derive a changed record, and the one rule for merging refreshed tokens into it. */
class ConnectionRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T11:00:00Z");
  private static final ConnectionRecord CURRENT = new ConnectionRecord(3, "idp", "default", "work", AuthType.OAUTH2,
      "pkce", ConnectionStatus.EXPIRED, "https://idp.example", List.of("api.idp.example"), List.of("openid"), "at-1",
      "rt-1", "idt-1", "Bearer", T0.plusSeconds(3600), T0, null, new ConnectionRecord.Account("u1", "alice"),
      Map.of("k", "v"), "client-1");

  @Test
  void toBuilder_changesOnlyTheFieldsSet() {
    ConnectionRecord changed = CURRENT.toBuilder().status(ConnectionStatus.CONNECTED).clientId("client-2").build();

    assertThat(changed).isEqualTo(new ConnectionRecord(3, "idp", "default", "work", AuthType.OAUTH2, "pkce",
        ConnectionStatus.CONNECTED, "https://idp.example", List.of("api.idp.example"), List.of("openid"), "at-1",
        "rt-1", "idt-1", "Bearer", T0.plusSeconds(3600), T0, null, new ConnectionRecord.Account("u1", "alice"),
        Map.of("k", "v"), "client-2"));
    assertThat(CURRENT.toBuilder().build()).isEqualTo(CURRENT);
  }

  @Test
  void renewedWith_takesTheNewTokens_keepsWhatTheServerDidNotRotate_andTheRestOfTheRecord() {
    ConnectionRecord fresh = CURRENT.toBuilder().accessToken("at-2").refreshToken(null).idToken(null).tokenType(null)
        .scopes(List.of()).expiresAt(NOW.plusSeconds(600)).obtainedAt(null).build();

    ConnectionRecord renewed = CURRENT.renewedWith(fresh, NOW);

    assertThat(renewed.status()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(renewed.accessToken()).isEqualTo("at-2");
    assertThat(renewed.refreshToken()).isEqualTo("rt-1");
    assertThat(renewed.idToken()).isEqualTo("idt-1");
    assertThat(renewed.tokenType()).isEqualTo("Bearer");
    assertThat(renewed.scopes()).containsExactly("openid");
    assertThat(renewed.expiresAt()).isEqualTo(NOW.plusSeconds(600));
    assertThat(renewed.obtainedAt()).isEqualTo(NOW);
    assertThat(renewed.clientId()).isEqualTo("client-1");
    assertThat(renewed.account()).isEqualTo(CURRENT.account());
  }

  @Test
  void renewedWith_aRotatedRefreshTokenAndNewScopes_replaceTheOldOnes() {
    ConnectionRecord fresh = CURRENT.toBuilder().accessToken("at-2").refreshToken("rt-2").scopes(List.of("email"))
        .obtainedAt(NOW.minusSeconds(1)).build();

    ConnectionRecord renewed = CURRENT.renewedWith(fresh, NOW);

    assertThat(renewed.refreshToken()).isEqualTo("rt-2");
    assertThat(renewed.scopes()).containsExactly("email");
    assertThat(renewed.obtainedAt()).isEqualTo(NOW.minusSeconds(1));
  }
}
