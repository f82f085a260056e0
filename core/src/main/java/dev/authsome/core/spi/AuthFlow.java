package dev.authsome.core.spi;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import java.util.Set;

/**
 * An authentication flow ({@code api_key}, {@code pkce}, {@code device_code}, {@code dcr_pkce},
 * {@code client_credentials}, or a third party's), shipped as a PF4J plugin jar. A flow obtains a credential at
 * login, and knows how to refresh and revoke what it obtained.
 *
 * <p>Refreshing and revoking an OAuth grant does not depend on how it was obtained: OAuth flows implement
 * {@code dev.authsome.oauth.OAuthFlow} (in {@code authsome-oauth}), which does both for any connection holding
 * tokens, with the client the tokens were issued to ({@link FlowContext#client()}).
 *
 * <p>Flows may block (browser callback, device polling); they must stop promptly when their thread is interrupted
 * (Ctrl-C), throwing an {@link ErrorCode#INPUT_CANCELLED} error.
 */
public interface AuthFlow {

  /** The id users pass to {@code --flow} and definitions name in {@code flow}. */
  String id();

  /** The auth types this flow can serve. */
  Set<AuthType> authTypes();

  /** One line for {@code doctor} and completion. */
  default String description() {
    return id();
  }

  /** Runs the login and returns the new connection record (and client record, if one was entered or registered). */
  FlowResult login(FlowContext context);

  /**
   * Returns a fresh record for {@code current} (new access token, rotated refresh token). Called under the
   * connection's refresh lock, only when the token is near expiry. Throw {@link ErrorCode#TOKEN_EXPIRED} when the
   * provider rejected the grant itself (OAuth {@code invalid_grant}): the engine then marks the connection
   * {@code expired} at once, with the message saying what to run; any other failure leaves a still-valid access
   * token in use until it expires.
   */
  default ConnectionRecord refresh(FlowContext context, ConnectionRecord current) {
    throw new AuthsomeException(ErrorCode.REFRESH_FAILED,
        "flow '" + id() + "' cannot refresh credentials; run 'authsome login " + current.provider() + " --force'");
  }

  /**
   * Whether {@link #refresh} can renew a record that holds no refresh token (the client credentials grant simply
   * requests a new token with the stored client). The engine otherwise treats such a record as expired.
   */
  default boolean refreshesWithoutRefreshToken() {
    return false;
  }

  /**
   * Invalidates {@code current} at the provider (RFC 7009); a no-op for credentials that cannot be revoked. Throws
   * when the provider did not revoke it. The engine calls {@link #revokeAtProvider}, which reports the outcome;
   * override that one in new flows.
   */
  default void revoke(FlowContext context, ConnectionRecord current) {
  }

  /**
   * Invalidates {@code current} at the provider and says what happened; never throws for a refusal or a network
   * failure, which are outcomes. The engine deletes the record whatever the outcome and tells the user when the
   * provider did not revoke it.
   *
   * <p>The default serves flows written before this method: a flow that does not override {@link #revoke} cannot
   * revoke ({@link Revocation.Outcome#UNSUPPORTED}); one that does has revoked when {@code revoke} returns, and failed
   * with the exception's message when it throws an {@link AuthsomeException}.
   */
  default Revocation revokeAtProvider(FlowContext context, ConnectionRecord current) {
    if (!overridesRevoke()) {
      return Revocation.unsupported("flow '" + id() + "' cannot revoke credentials at the provider");
    }
    try {
      revoke(context, current);
      return Revocation.revoked(null);
    } catch (AuthsomeException e) {
      return Revocation.failed(e.getMessage());
    }
  }

  // Reflection only to tell a flow that inherits the no-op revoke (nothing revoked) from one that implements it.
  private boolean overridesRevoke() {
    try {
      return getClass().getMethod("revoke", FlowContext.class, ConnectionRecord.class).getDeclaringClass()
          != AuthFlow.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
