package dev.authsome.oauth;

import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.Revocation;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;

/**
 * An OAuth 2.0 flow. How tokens were obtained (browser, device code, dynamic registration, a third party's grant)
 * does not change what a refresh token or a revocation endpoint does with them (RFC 6749 section 6, RFC 7009): every
 * connection holding a refresh token refreshes through the token endpoint, and every connection's tokens are revoked
 * at logout, with the client they were issued to. Flows implement this interface and get both; a flow overrides
 * only what its grant does differently (client credentials renews without a refresh token).
 */
public interface OAuthFlow extends AuthFlow {

  /** Refreshes with the refresh token, as the client the tokens were issued to. */
  @Override
  default ConnectionRecord refresh(FlowContext context, ConnectionRecord current) {
    return OAuthConnections.refresh(context, current);
  }

  /** Revokes the refresh token, then the access token (RFC 7009); throws when they were not revoked. */
  @Override
  default void revoke(FlowContext context, ConnectionRecord current) {
    OAuthConnections.revoke(context, current);
  }

  /** Revokes the refresh token, then the access token (RFC 7009), and says what happened. */
  @Override
  default Revocation revokeAtProvider(FlowContext context, ConnectionRecord current) {
    return OAuthConnections.revocation(context, current);
  }
}
