package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import org.junit.jupiter.api.Test;

/** The nonce a login sent must come back in the ID token (OpenID Connect Core 3.1.3.7). */
class IdTokenNonceTest {
  private static final Nonce SENT = new Nonce("sent-nonce-123");

  private static String idToken(JWTClaimsSet.Builder claims) {
    return new PlainJWT(claims.subject("alice").issuer("https://idp.example").build()).serialize();
  }

  @Test
  void idTokenWithTheNonceSent_isAccepted() {
    assertThatCode(() -> AuthorizationCodeLogin.checkNonce(idToken(new JWTClaimsSet.Builder()
        .claim("nonce", "sent-nonce-123")), SENT)).doesNotThrowAnyException();
  }

  @Test
  void idTokenWithoutANonce_whenOneWasSent_isRefused() {
    assertThatThrownBy(() -> AuthorizationCodeLogin.checkNonce(idToken(new JWTClaimsSet.Builder()), SENT))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
            .isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
        .hasMessageContaining("carries no nonce");
  }

  @Test
  void idTokenWithAnotherNonce_isRefused() {
    assertThatThrownBy(() -> AuthorizationCodeLogin.checkNonce(idToken(new JWTClaimsSet.Builder()
        .claim("nonce", "other")), SENT)).hasMessageContaining("does not match this login");
  }
}
