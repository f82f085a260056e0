package dev.authsome.oauth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a token endpoint issued. Token values are secrets: {@link #toString()} hides them.
 *
 * @param expiresIn the access token's lifetime, when the server said
 * @param scopes the granted scopes, when the server said (else empty)
 */
public record TokenSet(String accessToken, Optional<String> refreshToken, Optional<String> idToken,
    String tokenType, Optional<Duration> expiresIn, List<String> scopes) {

  public TokenSet {
    requireNonNull(accessToken, "accessToken");
    requireNonNull(refreshToken, "refreshToken");
    requireNonNull(idToken, "idToken");
    requireNonNull(tokenType, "tokenType");
    requireNonNull(expiresIn, "expiresIn");
    scopes = List.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "TokenSet[accessToken=***, refreshToken=" + (refreshToken.isPresent() ? "***" : "none")
        + ", idToken=" + (idToken.isPresent() ? "***" : "none") + ", tokenType=" + tokenType + ", expiresIn="
        + expiresIn.map(Duration::toSeconds).map(s -> s + "s").orElse("unknown") + ", scopes=" + scopes + "]";
  }
}
