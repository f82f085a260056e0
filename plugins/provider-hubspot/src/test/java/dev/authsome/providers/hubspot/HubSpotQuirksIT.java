package dev.authsome.providers.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
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
 * {@code DELETE /oauth/v1/refresh-tokens/:token}, 204 No Content; anything else is refused. Its token endpoint
 * refuses a refresh token the way that page's "Refresh an access token" errors look: HTTP 400
 * {@code {"status":"BAD_REFRESH_TOKEN","message":...,"correlationId":...}}.
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
    hubspot.server.createContext("/oauth/v1/token", exchange -> {
      hubspot.record(exchange);
      Loopback.reply(exchange, 400, "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"missing or unknown refresh "
          + "token\",\"correlationId\":\"2b1f9c1e-4c9d-4f0e-9a51-0c6a4b7f2d11\"}");
    });
    hubspot.start();
  }

  @AfterEach
  void stop() {
    hubspot.close();
  }

  @Test
  void refresh_refusedInHubSpotsOwnErrorShape_marksTheGrantExpiredWithItsMessage() {
    TestFlowContext context = new TestFlowContext(hubspot.definition("hubspot"))
        .extension(OAuthQuirks.class, hubspot.quirks("hubspot"))
        .client(new ClientRecord(1, "hubspot", "default", "hub-client", "hub-secret", null, List.of(), "user", null,
            null, Map.of()));

    assertThatThrownBy(() -> new PkceFlow().refresh(context, connection()))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          // HubSpot's own error shape still reads as invalid_grant: the grant is gone, the connection becomes expired
          assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
          assertThat(e.getMessage()).contains("invalid_grant").contains("missing or unknown refresh token")
              .contains("BAD_REFRESH_TOKEN");
        });
    assertThat(hubspot.requests).singleElement().asString().startsWith("POST /oauth/v1/token")
        .contains("grant_type=refresh_token");
  }

  private static ConnectionRecord connection() {
    return new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "hubspot", "default",
        "default", AuthType.OAUTH2, "pkce", ConnectionStatus.CONNECTED, null, List.of(), List.of(),
        "CJSP5qf1KhICAQEYs-gDIIGOBii1", "6f18f21e-a743-4509-b7fd-1a5e632fffa1", null, "Bearer", null, null, null,
        ConnectionRecord.Account.UNKNOWN, Map.of());
  }

  @Test
  void logoutRevocation_deletesTheRefreshTokenByPath_andSendsNoAccessToken() {
    TestFlowContext context = new TestFlowContext(hubspot.definition("hubspot"))
        .extension(OAuthQuirks.class, hubspot.quirks("hubspot"))
        .client(new ClientRecord(1, "hubspot", "default", "hub-client", "hub-secret", null, List.of(), "user", null,
            null, Map.of()));
    new PkceFlow().revoke(context, connection());

    assertThat(hubspot.requests).containsExactly(
        "DELETE /oauth/v1/refresh-tokens/6f18f21e-a743-4509-b7fd-1a5e632fffa1 ");
    assertThat(context.progressText()).doesNotContain("Warning");
  }
}
