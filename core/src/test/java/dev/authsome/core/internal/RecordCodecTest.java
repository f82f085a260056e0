package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.ProviderState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  static final String KEY = "profile:default:github:connection:work";

  @Test
  void connection_roundTrips_withSnakeCaseNamesAndIsoUtcTimes() {
    ConnectionRecord r = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "github", "default", "work",
        AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, "https://ghe.acme.test", List.of("api.github.com"),
        List.of("repo", "read:user"), "at", "rt", null, "Bearer", Instant.parse("2026-11-27T10:00:00Z"),
        Instant.parse("2026-11-27T09:00:00Z"), null, new ConnectionRecord.Account("42", "octocat"), Map.of("k", "v"),
        "client-a");
    String json = RecordCodec.write(r);
    assertThat(json).contains("\"connection_name\":\"work\"").contains("\"access_token\":\"at\"")
        .contains("\"expires_at\":\"2026-11-27T10:00:00Z\"").contains("\"client_id\":\"client-a\"")
        .contains("\"schema_version\":3").doesNotContain("id_token");
    assertThat(RecordCodec.readConnection(KEY, json)).isEqualTo(r);
  }

  @Test
  void schema2Connection_withoutClientId_readsWithNoClientReference_andIsWrittenBackAsSchema3() {
    String v2 = """
        {"schema_version":2,"provider":"github","profile":"default","connection_name":"work","auth_type":"oauth2",
         "flow":"device_code","status":"connected","api_urls":[],"scopes":["repo"],"access_token":"at",
         "refresh_token":"rt","token_type":"Bearer","expires_at":"2026-11-27T10:00:00Z",
         "obtained_at":"2026-11-27T09:00:00Z","account":{"id":"42"},"metadata":{}}""";

    ConnectionRecord r = RecordCodec.readConnection(KEY, v2);

    assertThat(r.clientId()).isNull();
    assertThat(r.refreshToken()).isEqualTo("rt");
    assertThat(r.flow()).isEqualTo("device_code");
    assertThat(r.schemaVersion()).isEqualTo(3);
    assertThat(RecordCodec.write(r.withClientId("cid"))).contains("\"schema_version\":3")
        .contains("\"client_id\":\"cid\"");
  }

  @Test
  void olderConnection_withoutSchemaVersion_withHostUrlAndSpaceSeparatedScopes_isUpgraded() {
    ConnectionRecord r = RecordCodec.readConnection(KEY, """
        {"provider":"github","connection_name":"work","auth_type":"oauth2","status":"connected",
         "host_url":"api.github.com","scopes":"repo read:user","access_token":"at",
         "expires_at":"2026-11-27T10:00:00+00:00","account":{}}""");
    assertThat(r.apiUrls()).containsExactly("api.github.com");
    assertThat(r.scopes()).containsExactly("repo", "read:user");
    assertThat(r.expiresAt()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    assertThat(r.profile()).isEqualTo("default");
  }

  @Test
  void recordFromANewerAuthsome_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> RecordCodec.readConnection(KEY, """
        {"schema_version":9,"provider":"github","connection_name":"work","auth_type":"oauth2"}"""))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
          assertThat(e.getMessage()).contains(KEY).contains("newer");
        });
  }

  @Test
  void clientAndState_roundTrip() {
    ClientRecord c = new ClientRecord(2, "github", "default", "cid", "secret", null, List.of("repo"), "dcr",
        "https://github.test/register", Instant.parse("2026-11-27T09:00:00Z"), Map.of());
    assertThat(RecordCodec.readClient("k", RecordCodec.write(c))).isEqualTo(c);
    ProviderState s = new ProviderState(2, "github", "default", "work", null, "invalid_grant", Map.of());
    assertThat(RecordCodec.readState("k", RecordCodec.write(s))).isEqualTo(s);
  }

  @Test
  void arbitraryInput_isEitherARecordOrAVaultErrorNamingTheKey() {
    Random random = new Random(20261127);
    String valid = "{\"provider\":\"p\",\"connection_name\":\"c\",\"auth_type\":\"api_key\",\"api_key\":\"k\","
        + "\"scopes\":[\"a\"],\"expires_at\":\"2026-11-27T10:00:00Z\",\"metadata\":{\"x\":[1,2.5,true,null]}}";
    String alphabet = "{}[]\":,0123456789.eE+-truefalsnul \\abcxyz";
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder(valid);
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits && b.length() > 0; e++) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String input = b.toString();
      try {
        RecordCodec.readConnection(KEY, input);
      } catch (AuthsomeException ex) {
        assertThat(ex.code()).as(input).isEqualTo(ErrorCode.VAULT_UNAVAILABLE);
        assertThat(ex.getMessage()).as(input).contains(KEY);
      }
    }
  }
}
