package dev.authsome.providers.postiz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.FlowResult;
import dev.authsome.flow.devicecode.DeviceCodeFlow;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.oauth.testing.TestFlowContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Postiz plugin jar as built, through the real plugin host and the real device_code flow, against a loopback
 * server that answers as Postiz's CLI auth server does (https://docs.postiz.com/cli/authentication; its source,
 * https://github.com/gitroomhq/postiz-agent/blob/main/server/index.ts): {@code POST /device/code} needs no client,
 * {@code POST /device/token} reads {@code device_code} from a JSON body, answers 400
 * {@code {"error":"authorization_pending"}} until approved, then 200 {@code {access_token, api_url,
 * organization_id}} with no {@code token_type}.
 */
class PostizQuirksIT {
  @TempDir Path home;
  private Loopback postiz;
  private final AtomicInteger polls = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    postiz = new Loopback(home);
    postiz.server.createContext("/device/code", exchange -> {
      postiz.record(exchange);
      Loopback.reply(exchange, 200, "{\"device_code\":\"9f2c4e\",\"user_code\":\"ABCD-2345\",\"verification_uri\":"
          + "\"https://cli-auth.postiz.com/device/verify\",\"expires_in\":900,\"interval\":1}");
    });
    postiz.server.createContext("/device/token", exchange -> {
      String body = postiz.record(exchange);
      if (!body.contains("\"device_code\":\"9f2c4e\"")) {
        Loopback.reply(exchange, 400, "{\"error\":\"invalid_request\"}");
      } else if (polls.incrementAndGet() < 3) {
        Loopback.reply(exchange, 400, "{\"error\":\"authorization_pending\"}");
      } else {
        Loopback.reply(exchange, 200, "{\"access_token\":\"pos_4c1d9e\",\"api_url\":\"https://api.postiz.com\","
            + "\"organization_id\":\"org_42\"}");
      }
    });
    postiz.start();
  }

  @AfterEach
  void stop() {
    postiz.close();
  }

  @Test
  void deviceLogin_asksForNoClient_pollsWithJson_andAcceptsATokenWithoutTokenType() {
    // the default input of TestFlowContext fails the test if the flow asks for anything (a client id, say)
    TestFlowContext context = new TestFlowContext(postiz.definition("postiz"))
        .extension(OAuthQuirks.class, postiz.quirks("postiz"))
        .option("no_browser", "true")
        .timeout(Duration.ofSeconds(30));

    FlowResult result = new DeviceCodeFlow().login(context);

    assertThat(result.connection().accessToken()).isEqualTo("pos_4c1d9e");
    assertThat(result.clientRecord().orElseThrow().source()).isEqualTo("plugin");
    assertThat(polls.get()).isEqualTo(3);
    assertThat(postiz.requests).filteredOn(r -> r.startsWith("POST /device/token")).hasSize(3)
        .allSatisfy(r -> assertThat(r).contains("[application/json"));
    assertThat(context.progressText()).contains("ABCD-2345");
  }
}
