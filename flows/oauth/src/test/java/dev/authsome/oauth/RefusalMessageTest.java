package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.ErrorObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A provider's refusal as authsome repeats it: the provider's words, never what it echoes of a secret. */
class RefusalMessageTest {
  static final String TOKEN = "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  static String describe(String code, String description) {
    return new TokenEndpoint.Outcome.Refused(new ErrorObject(code, description, 400)).describe();
  }

  @Test
  void ordinaryRefusal_isRepeatedAsItIs() {
    assertThat(describe("invalid_grant", "The refresh token is invalid or expired"))
        .isEqualTo("invalid_grant (The refresh token is invalid or expired)");
    assertThat(describe("invalid_client", null)).isEqualTo("invalid_client");
  }

  @Test
  void anEchoedToken_inAnyEncoding_isNotRepeated() {
    String base64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    String shown = describe("invalid_grant", "grant " + TOKEN + " unknown; also " + base64 + " and "
        + java.net.URLEncoder.encode("x/" + TOKEN, StandardCharsets.UTF_8));
    assertThat(shown).startsWith("invalid_grant (grant [...] unknown").doesNotContain(TOKEN).doesNotContain(base64)
        .doesNotContain(TOKEN.substring(0, 20));
  }

  @Test
  void aMalformedCode_orATokenAsTheCode_isReplacedByTheStatus() {
    assertThat(describe(TOKEN, null)).isEqualTo("HTTP 400");
    assertThat(describe("Bad Thing", "x")).isEqualTo("HTTP 400 (x)");
  }

  @Test
  void aLongDescription_isCut() {
    // control characters never get this far: Nimbus refuses them in an error object (RFC 6749 section 5.2)
    assertThat(describe("invalid_request", "word ".repeat(100))).hasSizeLessThan(240).endsWith("...)");
  }
}
