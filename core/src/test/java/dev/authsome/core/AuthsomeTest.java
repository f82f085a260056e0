package dev.authsome.core;

import static dev.authsome.core.EngineFixtures.apiKeyProvider;
import static dev.authsome.core.EngineFixtures.catalogue;
import static dev.authsome.core.EngineFixtures.flows;
import static dev.authsome.core.EngineFixtures.oauthProvider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.EngineFixtures.FakeOAuthFlow;
import dev.authsome.core.EngineFixtures.KeyFlow;
import dev.authsome.core.EngineFixtures.MapVault;
import dev.authsome.core.EngineFixtures.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthsomeTest {
  @TempDir Path home;
  final MapVault vault = new MapVault();
  final MutableClock clock = new MutableClock();
  final KeyFlow keyFlow = new KeyFlow();
  final FakeOAuthFlow oauthFlow = new FakeOAuthFlow();
  final List<String> warnings = new ArrayList<>();
  String nextKey = "sk-first";

  Authsome engine() {
    return engine(Map.of());
  }

  Authsome engine(Map<String, String> env) {
    return Authsome.builder().home(home).environment(env).clock(clock).vault(vault)
        .catalogue(catalogue(apiKeyProvider("openai", Map.of("OPENAI_API_KEY", "api_key")),
            apiKeyProvider("resend", Map.of()), oauthProvider("github")))
        .flows(flows(keyFlow, oauthFlow))
        .input(request -> Map.of("api_key", Secret.of(nextKey)))
        .warnings(warnings::add)
        .build();
  }

  @Test
  void login_thenGet_redactsSecretsUnlessShowSecret() {
    Authsome a = engine();
    LoginResult r = a.login(LoginRequest.of("openai"));
    assertThat(r.connection()).isEqualTo("default");
    assertThat(a.get("openai", null, false, null)).containsEntry("api_key", "***REDACTED***")
        .containsEntry("status", "connected").containsEntry("connection_name", "default");
    assertThat(a.get("openai", null, true, "api_key")).containsExactly(Map.entry("api_key", "sk-first"));
  }

  @Test
  void login_whenAlreadyConnected_failsWithConnectionExistsNamingForce() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    assertThatThrownBy(() -> a.login(LoginRequest.of("openai")))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_EXISTS);
          assertThat(e.getMessage()).contains("--force");
        });
  }

  @Test
  void login_withForce_revokesOldKeyAtProviderAndReplacesIt() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    nextKey = "sk-second";
    LoginResult r = a.login(LoginRequest.of("openai").withForce(true));
    assertThat(r.replaced()).isTrue();
    assertThat(keyFlow.revoked).containsExactly("sk-first");
    assertThat(a.get("openai", null, true, "api_key")).containsEntry("api_key", "sk-second");
  }

  @Test
  void get_unknownField_isUsageErrorListingValidFields() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    assertThatThrownBy(() -> a.get("openai", null, false, "nope"))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("'nope'").contains("access_token").contains("status");
        });
  }

  @Test
  void unknownProvider_isProviderNotFound() {
    assertThatThrownBy(() -> engine().login(LoginRequest.of("nosuch")))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_NOT_FOUND));
    assertThatThrownBy(() -> engine().get("nosuch", null, false, null))
        .isInstanceOfSatisfying(AuthsomeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_NOT_FOUND));
  }

  @Test
  void logout_ofMissingConnection_isNotAnError() {
    assertThat(engine().logout("openai", "nothing").existed()).isFalse();
  }

  @Test
  void logout_revokesAtProviderAndDeletes() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    assertThat(a.logout("openai", null).existed()).isTrue();
    assertThat(keyFlow.revoked).containsExactly("sk-first");
    assertThat(vault.records).isEmpty();
  }

  @Test
  void export_withoutProvider_suffixesDuplicateNamesWithProviderAndConnection() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    nextKey = "sk-work";
    a.login(LoginRequest.of("openai").withConnection("work"));
    nextKey = "sk-resend";
    a.login(LoginRequest.of("resend"));
    Map<String, String> vars = new java.util.LinkedHashMap<>();
    a.export(null, null).forEach(v -> vars.put(v.name(), v.value().reveal()));
    assertThat(vars).containsExactly(Map.entry("OPENAI_API_KEY", "sk-first"),
        Map.entry("OPENAI_API_KEY_OPENAI_WORK", "sk-work"), Map.entry("RESEND_API_KEY", "sk-resend"));
  }

  @Test
  void setDefault_changesWhichConnectionCommandsUse() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    nextKey = "sk-work";
    a.login(LoginRequest.of("openai").withConnection("work"));
    a.setDefaultConnection("openai", "work");
    assertThat(a.get("openai", null, true, "api_key")).containsEntry("api_key", "sk-work");
    assertThat(a.inspect("openai").connections()).filteredOn(ConnectionSummary::isDefault)
        .extracting(ConnectionSummary::connectionName).containsExactly("work");
  }

  @Test
  void accessToken_nearExpiry_refreshesOnceAndStoresRotatedTokens() {
    Authsome a = engine();
    a.login(LoginRequest.of("github"));
    assertThat(a.accessToken("github", null).reveal()).isEqualTo("at-0");
    clock.advance(Duration.ofMinutes(56)); // inside the 300 s margin of a one-hour token
    assertThat(a.accessToken("github", null).reveal()).isEqualTo("at-1");
    assertThat(a.accessToken("github", null).reveal()).isEqualTo("at-1");
    assertThat(oauthFlow.refreshes).hasValue(1);
    assertThat(a.connection("github", null).refreshToken()).isEqualTo("rt-1");
  }

  @Test
  void accessToken_concurrentCallers_refreshOnlyOnce() throws Exception {
    Authsome a = engine();
    a.login(LoginRequest.of("github"));
    clock.advance(Duration.ofMinutes(58));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      results.add(pool.submit(() -> a.accessToken("github", null).reveal()));
    }
    for (Future<String> f : results) {
      assertThat(f.get()).isEqualTo("at-1");
    }
    pool.shutdown();
    assertThat(oauthFlow.refreshes).hasValue(1);
  }

  @Test
  void accessToken_refreshFailsWhileTokenStillValid_warnsAndUsesIt() {
    Authsome a = engine();
    a.login(LoginRequest.of("github"));
    clock.advance(Duration.ofMinutes(57));
    oauthFlow.failRefresh = true;
    assertThat(a.accessToken("github", null).reveal()).isEqualTo("at-0");
    assertThat(warnings).anyMatch(w -> w.contains("using the current token"));
  }

  @Test
  void accessToken_refreshFailsAfterExpiry_marksExpiredAndNamesLoginForce() {
    Authsome a = engine();
    a.login(LoginRequest.of("github"));
    clock.advance(Duration.ofHours(2));
    oauthFlow.failRefresh = true;
    assertThatThrownBy(() -> a.accessToken("github", null))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED);
          assertThat(e.getMessage()).contains("authsome login github --force");
        });
    assertThat(a.connection("github", null).status()).isEqualTo(ConnectionStatus.EXPIRED);
  }

  @Test
  void refreshMargin_fromEnvironment_overridesDefault() {
    Authsome a = engine(Map.of("AUTHSOME_TOKEN_NEAR_EXPIRY_SECONDS", "1800"));
    a.login(LoginRequest.of("github"));
    clock.advance(Duration.ofMinutes(31));
    assertThat(a.accessToken("github", null).reveal()).isEqualTo("at-1");
  }

  @Test
  void list_showsExpiringAndExpiredStatuses() {
    Authsome a = engine();
    a.login(LoginRequest.of("github"));
    clock.advance(Duration.ofMinutes(58));
    assertThat(status(a)).isEqualTo("expiring");
    clock.advance(Duration.ofMinutes(5));
    assertThat(status(a)).isEqualTo("expired");
  }

  private static String status(Authsome a) {
    return a.list().stream().filter(p -> p.provider().name().equals("github")).findFirst().orElseThrow()
        .connections().get(0).status();
  }

  @Test
  void login_baseUrl_isSubstitutedAndStored() {
    Authsome a = engine();
    a.login(new LoginRequest("github", null, null, List.of(), "https://GHE.acme.test/", false, Map.of(), null));
    assertThat(oauthFlow.lastBaseUrl).isEqualTo("https://ghe.acme.test/authorize");
    assertThat(a.connection("github", null).baseUrl()).isEqualTo("https://ghe.acme.test");
    assertThat(a.connection("github", null).apiUrls()).containsExactly("https://ghe.acme.test");
  }

  @Test
  void auditLog_recordsEventsWithoutSecrets_andHomeFilesAre0600() throws Exception {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    a.get("openai", null, true, "api_key");
    a.export("openai", null);
    List<String> log = a.log(50);
    assertThat(log).hasSize(3);
    assertThat(String.join("\n", log)).doesNotContain("sk-first").contains("\"event\":\"login\"")
        .contains("\"event\":\"get\"").contains("\"event\":\"export\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("audit.log"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config.yaml"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("format: 1");
  }

  @Test
  void auditWriteFailure_onlyWarns() throws Exception {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    Files.delete(home.resolve("audit.log"));
    Files.createDirectory(home.resolve("audit.log"));
    a.get("openai", null, true, "api_key");
    assertThat(warnings).anyMatch(w -> w.contains("Audit entry for 'get' was not written"));
  }

  @Test
  void pythonToolFiles_areLeftUntouchedAndMentionedByDoctor() throws Exception {
    Files.writeString(home.resolve("config.json"), "{\"spec_version\":1}");
    Files.createDirectories(home.resolve("profiles/default"));
    Files.writeString(home.resolve("profiles/default/store.db"), "sqlite");
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    assertThat(Files.readString(home.resolve("config.json"))).isEqualTo("{\"spec_version\":1}");
    DoctorReport report = a.doctor();
    assertThat(report.checks()).filteredOn(c -> c.name().equals("python_files")).singleElement()
        .satisfies(c -> assertThat(String.join(" ", c.details())).contains("config.json").contains("store.db"));
  }

  @Test
  void doctor_namesWhereEachSettingComesFrom_inTheOrderOfTheKeys() throws IOException {
    Files.writeString(home.resolve("config.yaml"), """
        proxy:
          policy: deny
        oauth:
          login_timeout_seconds: 60
          callback_port: 7999
        """);
    List<String> origins = engine().doctor().checks().stream().filter(c -> c.name().equals("config"))
        .flatMap(c -> c.details().stream()).filter(d -> d.contains(" from ")).toList();
    // a scripted `doctor --json` compared between runs must not change with the JVM's hashing
    assertThat(origins).contains("oauth.callback_port from config.yaml", "proxy.policy from config.yaml").isSorted();
  }

  @Test
  void revoke_removesEveryConnection() {
    Authsome a = engine();
    a.login(LoginRequest.of("openai"));
    a.login(LoginRequest.of("openai").withConnection("two"));
    assertThat(a.revoke("openai")).extracting(LogoutResult::connection).containsExactly("default", "two");
    assertThat(vault.records).isEmpty();
  }
}
