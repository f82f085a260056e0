package dev.authsome.core;

import static dev.authsome.core.EngineFixtures.catalogue;
import static dev.authsome.core.EngineFixtures.flows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.EngineFixtures.MapVault;
import dev.authsome.core.EngineFixtures.MutableClock;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code login --force} revokes the replaced token after the new one is stored, except where the provider's
 * revocation is grant-wide (Google: revoking any token of a user's grant to an app revokes all of them), which would
 * leave a stored credential that no longer works. The end-to-end ordering against a real server is in dist's
 * ForceLoginAndWriteRacesEndToEndTest; Google's endpoint cannot be reached here, so this checks the engine's choice.
 */
class ForceLoginRevocationTest {
  @TempDir Path home;
  final MapVault vault = new MapVault();
  final MutableClock clock = new MutableClock();
  final List<String> warnings = new ArrayList<>();
  final CountingFlow flow = new CountingFlow();

  @Test
  void aPerTokenRevocationEndpoint_revokesTheReplacedTokenAfterTheNewLogin() {
    Authsome a = engine("https://auth.example.test/revoke");
    a.login(LoginRequest.of("acme"));
    a.login(LoginRequest.of("acme").withForce(true));

    assertThat(flow.revoked).containsExactly("at-1");
    assertThat(a.get("acme", null, true, "access_token")).containsEntry("access_token", "at-2");
  }

  @Test
  void googlesGrantWideRevocation_leavesTheReplacedTokenToExpire_andSaysSo() {
    Authsome a = engine("https://oauth2.googleapis.com/revoke");
    a.login(LoginRequest.of("acme"));
    a.login(LoginRequest.of("acme").withForce(true));

    assertThat(flow.revoked).isEmpty();
    assertThat(a.get("acme", null, true, "access_token")).containsEntry("access_token", "at-2");
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("was not revoked").contains("new one too"));
  }

  Authsome engine(String revocationUrl) {
    ProviderDefinition def = new ProviderDefinition(1, "acme", "Acme", null, null, "https://example.com/docs",
        AuthType.OAUTH2, "counting_oauth",
        new ProviderDefinition.OAuthConfig("https://auth.example.test/authorize", "https://auth.example.test/token",
            revocationUrl, null, null, null, null, "oauth2_form", List.of("read"), "https://api.acme.test", true,
            false, false, null, Map.of(), Map.of()),
        null, Map.of(), List.of("{base_url}"), Map.of(), Map.of());
    return Authsome.builder().home(home).environment(Map.of()).clock(clock).vault(vault)
        .catalogue(catalogue(def)).flows(flows(flow)).input(request -> Map.of()).warnings(warnings::add).build();
  }

  static final class CountingFlow implements AuthFlow {
    final AtomicInteger logins = new AtomicInteger();
    final List<String> revoked = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
      return "counting_oauth";
    }

    @Override
    public Set<AuthType> authTypes() {
      return Set.of(AuthType.OAUTH2);
    }

    @Override
    public FlowResult login(FlowContext c) {
      int n = logins.incrementAndGet();
      Instant now = c.clock().instant();
      return new FlowResult(new ConnectionRecord(2, c.provider().name(), c.profile(), c.connectionName(),
          AuthType.OAUTH2, id(), ConnectionStatus.CONNECTED, null, List.of(), c.scopes(), "at-" + n, "rt-" + n, null,
          "Bearer", now.plus(Duration.ofHours(1)), now, null, ConnectionRecord.Account.UNKNOWN, Map.of()), null);
    }

    @Override
    public ConnectionRecord refresh(FlowContext c, ConnectionRecord current) {
      return current;
    }

    @Override
    public Revocation revokeAtProvider(FlowContext context, ConnectionRecord current) {
      revoked.add(current.accessToken());
      return Revocation.revoked("https://auth.example.test/revoke");
    }
  }
}
