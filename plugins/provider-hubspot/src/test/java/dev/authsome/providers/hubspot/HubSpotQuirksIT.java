package dev.authsome.providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.AuthType;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.flow.pkce.PkceFlow;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HubSpot plugin jar as built, through the real plugin host and the pkce flow's revocation, against a loopback
 * server that answers as https://developers.hubspot.com/docs/api/oauth/tokens documents "Delete a refresh token":
 * {@code DELETE /oauth/v1/refresh-tokens/:token}, 204 No Content; anything else is refused.
 */
class HubSpotQuirksIT {
  @TempDir Path home;
  private Loopback hubspot;

  @BeforeEach
  void start() throws IOException {
    hubspot = new Loopback(home);
    hubspot.server.createContext("/oauth/v1/refresh-tokens", exchange -> {
      hubspot.record(exchange);
      boolean delete = exchange.getRequestMethod().equals("DELETE")
          && exchange.getRequestURI().getRawPath().startsWith("/oauth/v1/refresh-tokens/");
      Loopback.reply(exchange, delete ? 204 : 405, delete ? "" : "{\"status\":\"error\",\"message\":\"bad method\"}");
    });
    hubspot.start();
  }

  @AfterEach
  void stop() {
    hubspot.close();
  }

  @Test
  void logoutRevocation_deletesTheRefreshTokenByPath_andSendsNoAccessToken() {
    TestFlowContext context = new TestFlowContext(hubspot.definition("hubspot"))
        .extension(OAuthQuirks.class, hubspot.quirks("hubspot"))
        .client(new ClientRecord(1, "hubspot", "default", "hub-client", "hub-secret", null, List.of(), "user", null,
            null, Map.of()));
    ConnectionRecord current = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "hubspot", "default",
        "default", AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, null, List.of(), List.of(),
        "CJSP5qf1KhICAQEYs-gDIIGOBii1", "6f18f21e-a743-4509-b7fd-1a5e632fffa1", null, "Bearer", null, null, null,
        ConnectionRecord.Account.UNKNOWN, Map.of());

    new PkceFlow().revoke(context, current);

    assertThat(hubspot.requests).containsExactly(
        "DELETE /oauth/v1/refresh-tokens/6f18f21e-a743-4509-b7fd-1a5e632fffa1 ");
    assertThat(context.progressText()).doesNotContain("Warning");
  }
}
