package dev.authsome.flow.clientcredentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.FlowResult;
import dev.authsome.oauth.testing.OidcServer;
import dev.authsome.oauth.testing.TestFlowContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client_credentials flow against a real authorization server. */
class ClientCredentialsFlowTest {
  private static OidcServer server;

  @BeforeAll
  static void startServer() {
    server = OidcServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void login_withSecretFromInput_thenRefreshRequestsANewToken() {
    var provider = server.discoveredProvider("m2m", "client_credentials", List.of("api:read"));
    TestFlowContext context = new TestFlowContext(provider)
        .option("client_id", OidcServer.BASIC_CLIENT)
        .input(request -> Map.of("client_secret", Secret.of(OidcServer.BASIC_SECRET)));
    int before = server.tokenRequests("client_credentials");

    FlowResult result = new ClientCredentialsFlow().login(context);
    ConnectionRecord record = result.connection();
    ConnectionRecord renewed = new ClientCredentialsFlow().refresh(
        context.client(result.clientRecord().orElseThrow()), record);

    assertThat(record.accessToken()).isNotBlank();
    assertThat(record.refreshToken()).isNull();
    assertThat(record.account().id()).isEqualTo(OidcServer.BASIC_CLIENT);
    assertThat(server.active(record.accessToken())).isTrue();
    assertThat(renewed.accessToken()).isNotBlank().isNotEqualTo(record.accessToken());
    assertThat(server.tokenRequests("client_credentials") - before).isEqualTo(2);
  }

  @Test
  void login_withWrongSecret_failsWithAuthenticationFailed() {
    var provider = server.discoveredProvider("m2m", "client_credentials", List.of("api:read"));
    TestFlowContext context = new TestFlowContext(provider)
        .option("client_id", OidcServer.BASIC_CLIENT)
        .input(request -> Map.of("client_secret", Secret.of("wrong-secret")));

    assertThatThrownBy(() -> new ClientCredentialsFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("invalid_client").doesNotContain("wrong-secret");
        });
  }

  @Test
  void login_withoutAnySecret_isAUsageErrorNamingStdin() {
    var provider = server.discoveredProvider("m2m", "client_credentials", List.of("api:read"));
    TestFlowContext context = new TestFlowContext(provider)
        .option("client_id", OidcServer.BASIC_CLIENT)
        .input(request -> Map.of());

    assertThatThrownBy(() -> new ClientCredentialsFlow().login(context))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("--stdin");
        });
  }
}
