package dev.authsome.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Revocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The defaults that keep flows written before {@link AuthFlow#revokeAtProvider} honest about revocation. */
class AuthFlowTest {
  static final ConnectionRecord RECORD = new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, "p", "default",
      "default", AuthType.OAUTH2, "old", ConnectionStatus.CONNECTED, null, List.of(), List.of(), "at", "rt", null,
      "Bearer", null, null, null, ConnectionRecord.Account.UNKNOWN, Map.of());

  /** A flow of the older SPI: only {@code login}, and {@code revoke} when {@code revoke} is set. */
  abstract static class OldFlow implements AuthFlow {
    @Override
    public String id() {
      return "old";
    }

    @Override
    public Set<AuthType> authTypes() {
      return Set.of(AuthType.OAUTH2);
    }

    @Override
    public FlowResult login(FlowContext context) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void revokeAtProvider_ofAFlowThatCannotRevoke_isUnsupported() {
    Revocation r = new OldFlow() { }.revokeAtProvider(null, RECORD);

    assertThat(r.outcome()).isEqualTo(Revocation.Outcome.UNSUPPORTED);
    assertThat(r.revokedAtProvider()).isFalse();
  }

  @Test
  void revokeAtProvider_whenTheOldVoidRevokeReturns_isRevoked() {
    Revocation r = new OldFlow() {
      @Override
      public void revoke(FlowContext context, ConnectionRecord current) {
      }
    }.revokeAtProvider(null, RECORD);

    assertThat(r.revokedAtProvider()).isTrue();
  }

  @Test
  void revokeAtProvider_whenTheOldVoidRevokeThrows_isFailedWithItsMessage() {
    Revocation r = new OldFlow() {
      @Override
      public void revoke(FlowContext context, ConnectionRecord current) {
        throw new AuthsomeException(ErrorCode.UNEXPECTED, "the server said invalid_client");
      }
    }.revokeAtProvider(null, RECORD);

    assertThat(r.outcome()).isEqualTo(Revocation.Outcome.FAILED);
    assertThat(r.detail()).contains("invalid_client");
  }
}
