package dev.authsome.core;

import static dev.authsome.core.EngineFixtures.catalogue;
import static dev.authsome.core.EngineFixtures.flows;
import static dev.authsome.core.EngineFixtures.oauthProvider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.EngineFixtures.MapVault;
import dev.authsome.core.EngineFixtures.MutableClock;
import dev.authsome.core.internal.VaultRecords;
import dev.authsome.core.spi.AuthFlow;
import dev.authsome.core.spi.FlowContext;
import dev.authsome.core.spi.FlowResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine side of issue 15: each connection refreshes and revokes with the client its tokens were issued to (old
 * records without a client reference upgrade without losing anything), scopes stay with their connection, and a
 * revocation the provider did not perform is reported, audited and still deletes locally.
 */
class ConnectionClientTest {
  @TempDir Path home;
  final MapVault vault = new MapVault();
  final MutableClock clock = new MutableClock();
  final ClientFlow flow = new ClientFlow();
  final List<String> warnings = new ArrayList<>();

  Authsome engine() {
    return Authsome.builder().home(home).environment(Map.of()).clock(clock).vault(vault)
        .catalogue(catalogue(oauthProvider("github"))).flows(flows(flow))
        .input(request -> Map.of()).warnings(warnings::add).build();
  }

  @Test
  void schema2Record_withoutAClientReference_refreshesWithTheProvidersClient_andIsWrittenBackNamingIt() {
    storeClient("client-a", "secret-a");
    storeSchema2Connection("default");

    String token = engine().accessToken("github", null).reveal();

    assertThat(token).isEqualTo("at-refreshed-1");
    assertThat(flow.calls).containsExactly("refresh default as client-a/secret-a");
    ConnectionRecord stored = engine().connection("github", null);
    assertThat(stored.clientId()).isEqualTo("client-a");
    assertThat(stored.schemaVersion()).isEqualTo(ConnectionRecord.SCHEMA_VERSION);
    assertThat(vault.records.get(VaultRecords.connectionKey("github", "default"))).contains("\"client_id\":\"client-a\"");
  }

  @Test
  void loginWithAnotherClient_keepsTheOldClientForTheConnectionsIssuedToIt() {
    storeClient("client-a", "secret-a");
    storeSchema2Connection("default");
    Authsome a = engine();

    a.login(new LoginRequest("github", "dev", null, List.of(), null, false, Map.of("client_id", "client-b"), null));
    clock.advance(Duration.ofMinutes(58));
    a.accessToken("github", "default");
    a.accessToken("github", "dev");

    assertThat(flow.calls).containsExactly("login dev as client-a/secret-a", "refresh default as client-a/secret-a",
        "refresh dev as client-b/secret-b");
    assertThat(a.connection("github", "default").clientId()).as("pinned to the client it was issued to")
        .isEqualTo("client-a");
    assertThat(a.connection("github", "dev").clientId()).isEqualTo("client-b");
    assertThat(vault.records).containsKey(VaultRecords.clientKey("github", "client-a"));

    LogoutResult logout = a.logout("github", "default");

    assertThat(logout.revocation().revokedAtProvider()).isTrue();
    assertThat(flow.calls).endsWith("revoke default as client-a/secret-a");
    assertThat(vault.records).as("no connection uses client-a any more")
        .doesNotContainKey(VaultRecords.clientKey("github", "client-a"));
    a.logout("github", "dev");
    assertThat(flow.calls).endsWith("revoke dev as client-b/secret-b");
    assertThat(vault.records).as("the default client stays for new logins").containsKey(VaultRecords.clientKey("github"));
  }

  @Test
  void clientIdFlag_namingAStoredClient_startsTheLoginFromIt() {
    Authsome a = engine();
    a.login(new LoginRequest("github", "one", null, List.of(), null, false, Map.of("client_id", "client-a"), null));
    a.login(new LoginRequest("github", "two", null, List.of(), null, false, Map.of("client_id", "client-b"), null));

    a.login(new LoginRequest("github", "three", null, List.of(), null, false, Map.of("client_id", "client-a"),
        null));

    assertThat(flow.calls).endsWith("login three as client-a/secret-a");
    assertThat(a.connection("github", "three").clientId()).isEqualTo("client-a");
  }

  @Test
  void scopesOfOneLogin_neverBecomeTheDefaultOfAnother() {
    // an older authsome copied a login's --scopes into the client record
    vault.put(VaultRecords.clientKey("github"), VaultRecords.write(new ClientRecord(2, "github", "default", "client-a", null, null,
        List.of("leaked"), "user", null, null, Map.of())));
    Authsome a = engine();

    a.login(new LoginRequest("github", "dev", null, List.of("admin"), null, false, Map.of(), null));
    a.login(new LoginRequest("github", "third", null, List.of(), null, false, Map.of(), null));

    assertThat(flow.scopes).containsExactly(List.of("admin"), List.of("read"));
    assertThat(a.connection("github", "dev").scopes()).containsExactly("admin");
    assertThat(a.connection("github", "third").scopes()).containsExactly("read");
  }

  @Test
  void logout_whenTheProviderRefusesTheRevocation_warnsAuditsReportsAndStillDeletes() throws Exception {
    Authsome a = engine();
    a.login(new LoginRequest("github", null, null, List.of(), null, false, Map.of("client_id", "client-a"), null));
    flow.revocation = Revocation.refused("invalid_client",
        "https://example.test/revoke refused to revoke the refresh token (HTTP 401, invalid_client)",
        "https://example.test/revoke");

    LogoutResult r = a.logout("github", null);

    assertThat(r.existed()).isTrue();
    assertThat(r.revocation().outcome()).isEqualTo(Revocation.Outcome.REFUSED);
    assertThat(r.revocation().error()).isEqualTo("invalid_client");
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("NOT revoked at the provider")
        .contains("invalid_client").contains("deleted locally"));
    assertThat(vault.records).doesNotContainKey(VaultRecords.connectionKey("github", "default"));
    String audit = Files.readAllLines(home.resolve("audit.log")).stream().filter(l -> l.contains("\"logout\""))
        .findFirst().orElseThrow();
    assertThat(audit).contains("\"revoked_at_provider\":false").contains("\"revocation\":\"refused\"")
        .contains("\"revocation_error\":\"invalid_client\"").doesNotContain("rt-0").doesNotContain("at-0");
  }

  @Test
  void revoke_reportsEachConnectionsOutcome() {
    Authsome a = engine();
    a.login(new LoginRequest("github", null, null, List.of(), null, false, Map.of("client_id", "client-a"), null));
    a.login(new LoginRequest("github", "two", null, List.of(), null, false, Map.of(), null));
    flow.revocation = Revocation.unreachable("could not reach https://example.test/revoke (Connection refused)",
        "https://example.test/revoke");

    List<LogoutResult> removed = a.revoke("github");

    assertThat(removed).extracting(LogoutResult::connection).containsExactly("default", "two");
    assertThat(removed).allSatisfy(r -> assertThat(r.revocation().outcome())
        .isEqualTo(Revocation.Outcome.UNREACHABLE));
    assertThat(warnings).filteredOn(w -> w.contains("NOT revoked")).hasSize(2);
    assertThat(vault.records.keySet()).noneMatch(k -> k.startsWith("profile:default:github:c"));
  }

  // ------------------------------------------------------------------------------------------------------------

  private void storeClient(String id, String secret) {
    vault.put(VaultRecords.clientKey("github"), VaultRecords.write(new ClientRecord(2, "github", "default", id, secret, null,
        List.of(), "user", null, null, Map.of())));
  }

  /** A connection as authsome 0.1 wrote it: schema 2, no client reference, expiring in two minutes. */
  private void storeSchema2Connection(String name) {
    Instant now = clock.instant();
    vault.put(VaultRecords.connectionKey("github", name), "{\"schema_version\":2,\"provider\":\"github\",\"profile\":\"default\","
        + "\"connection_name\":\"" + name + "\",\"auth_type\":\"oauth2\",\"flow\":\"fake_oauth\","
        + "\"status\":\"connected\",\"api_urls\":[],\"scopes\":[\"read\"],\"access_token\":\"at-old\","
        + "\"refresh_token\":\"rt-old\",\"token_type\":\"Bearer\",\"expires_at\":\"" + now.plusSeconds(120)
        + "\",\"obtained_at\":\"" + now.minusSeconds(3480) + "\",\"account\":{},\"metadata\":{}}");
  }

  /**
   * Like the OAuth flows: uses the client it is given, unless {@code --client-id} names another, which it then
   * "enters" (secret {@code secret-<id suffix>}) and returns as a new client record. Records what it was given.
   */
  static final class ClientFlow implements AuthFlow {
    final List<String> calls = new ArrayList<>();
    final List<List<String>> scopes = new ArrayList<>();
    volatile Revocation revocation = Revocation.revoked("https://example.test/revoke");
    int refreshes;

    @Override
    public String id() {
      return "fake_oauth";
    }

    @Override
    public Set<AuthType> authTypes() {
      return Set.of(AuthType.OAUTH2);
    }

    @Override
    public FlowResult login(FlowContext c) {
      String flagged = c.option("client_id").orElse(null);
      ClientRecord given = c.client().orElse(null);
      calls.add("login " + c.connectionName() + " as " + describe(given));
      scopes.add(c.scopes());
      ClientRecord entered = null;
      if (flagged != null && (given == null || !flagged.equals(given.clientId()))) {
        entered = new ClientRecord(1, c.provider().name(), c.profile(), flagged,
            "secret-" + flagged.substring(flagged.length() - 1), null, List.of(), "user", null, null, Map.of());
      }
      Instant now = c.clock().instant();
      return new FlowResult(new ConnectionRecord(ConnectionRecord.SCHEMA_VERSION, c.provider().name(), c.profile(),
          c.connectionName(), AuthType.OAUTH2, id(), ConnectionStatus.CONNECTED, null, List.of(), c.scopes(), "at-0",
          "rt-0", null, "Bearer", now.plus(Duration.ofHours(1)), now, null, ConnectionRecord.Account.UNKNOWN,
          Map.of()), entered);
    }

    @Override
    public ConnectionRecord refresh(FlowContext c, ConnectionRecord current) {
      calls.add("refresh " + current.connectionName() + " as " + describe(c.client().orElse(null)));
      Instant now = c.clock().instant();
      refreshes++;
      return new ConnectionRecord(current.schemaVersion(), current.provider(), current.profile(),
          current.connectionName(), current.authType(), current.flow(), ConnectionStatus.CONNECTED, null, List.of(),
          List.of(), "at-refreshed-" + refreshes, "rt-refreshed-" + refreshes, null, "Bearer",
          now.plus(Duration.ofHours(1)), now, null, current.account(), Map.of());
    }

    @Override
    public Revocation revokeAtProvider(FlowContext c, ConnectionRecord current) {
      calls.add("revoke " + current.connectionName() + " as " + describe(c.client().orElse(null)));
      return revocation;
    }

    private static String describe(@Nullable ClientRecord client) {
      return client == null ? "-" : client.clientId() + "/" + client.clientSecret();
    }
  }
}
