package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records that hold secrets never print them, wherever a record ends up as text (logs, messages, debuggers). */
class RecordToStringTest {

  @Test
  void connectionRecord_toString_namesTheConnection_butNoSecret() {
    ConnectionRecord r = new ConnectionRecord(3, "idp", "default", "work", AuthType.OAUTH2, "pkce",
        ConnectionStatus.CONNECTED, null, List.of(), List.of("openid"), "at-canary-1", "rt-canary-2", "idt-canary-3",
        "Bearer", Instant.EPOCH, Instant.EPOCH, "key-canary-4", ConnectionRecord.Account.UNKNOWN,
        Map.of("note", "md-canary-5"), "client-x");

    String text = r.toString();

    assertThat(text).contains("idp", "work", "client-x", "***REDACTED***")
        .doesNotContain("at-canary-1", "rt-canary-2", "idt-canary-3", "key-canary-4", "md-canary-5");
  }

  @Test
  void clientRecord_toString_namesTheClient_butNotItsSecret() {
    ClientRecord c = new ClientRecord(1, "idp", "default", "client-x", "secret-canary-6", null, List.of(), "user",
        null, null, Map.of());

    assertThat(c.toString()).contains("client-x", "***REDACTED***").doesNotContain("secret-canary-6");
    assertThat(new ClientRecord(1, "idp", "default", "client-x", null, null, List.of(), "user", null, null, Map.of())
        .toString()).contains("clientSecret=null");
  }
}
