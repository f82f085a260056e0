package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authsome.dist.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keychain backend through {@code bin/authsome} against a real Secret Service (a gnome-keyring of the test's own
 * on a private session bus): selection, OS tools seeing the items, a keyring restart, a locked keyring, no bus at
 * all, the master key of the file backend, migration (also killed half way) and rekey.
 */
class KeychainVaultEndToEndTest {
  static final String KEY = "sk-e2eKEYCHAIN0123456789abcdefXYZ";
  static final String CONNECTION = "profile:default:openai:connection:default";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path sessionDir;
  Cli cli;
  KeyringSession session;

  @BeforeEach
  void setUp() throws Exception {
    Cli.assumeComplete();
    session = KeyringSession.start(sessionDir);
    cli = new Cli(home);
    cli.env.putAll(session.environment());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (session != null) {
      session.close();
    }
  }

  private String vaultId() throws Exception {
    return Files.readString(home.resolve("vault-id")).strip();
  }

  private void login(String... extra) {
    String[] args = new String[3 + extra.length];
    args[0] = "login";
    args[1] = "openai";
    args[2] = "--stdin";
    System.arraycopy(extra, 0, args, 3, extra.length);
    Result login = cli.feed(KEY + "\n", args);
    assertThat(login.exit()).as(login.toString()).isZero();
  }

  @Test
  void loginWithVaultKeychain_isAnItemSecretToolSees_andSurvivesAKeyringRestart() throws Exception {
    login("--vault", "keychain");

    String items = session.run("secret-tool", "search", "--all", "service", "authsome");
    assertThat(items)
        .contains("label = authsome: " + CONNECTION)
        .contains("attribute.account = " + CONNECTION)
        .contains("attribute.vault = " + vaultId())
        .contains(KEY); // secret-tool prints the secret: the record is the item's secret
    assertThat(home.resolve("vault/records.json")).doesNotExist();

    session.killKeyring();
    session.startKeyring(true);

    Result status = cli.run("get", "openai", "--field", "status", "--vault", "keychain");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out().strip()).isEqualTo("connected");
    Result export = cli.run("export", "openai", "--format", "json", "--vault", "keychain");
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(KEY);
    Result whoami = cli.run("whoami", "--vault", "keychain");
    assertThat(whoami.out()).contains("keychain").contains("Secret Service");
  }

  @Test
  void lockedKeyring_exitsSevenNamingTheCauseAndTheFix() throws Exception {
    login("--vault", "keychain");
    session.killKeyring();
    session.startKeyring(false);

    Result locked = cli.run("get", "openai", "--field", "status", "--vault", "keychain");
    assertThat(locked.exit()).as(locked.toString()).isEqualTo(7);
    assertThat(locked.err()).contains("is locked").contains("--vault file");
  }

  @Test
  void noSessionBus_exitsSevenNamingTheCauseAndTheFix_neverFallingBack() {
    cli.env.put("DBUS_SESSION_BUS_ADDRESS", "");
    Result whoami = cli.run("whoami", "--vault", "keychain");
    assertThat(whoami.exit()).as(whoami.toString()).isEqualTo(7);
    assertThat(whoami.err()).contains("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset)");

    Result result = cli.feed(KEY + "\n", "login", "openai", "--stdin", "--vault", "keychain");
    assertThat(result.exit()).as(result.toString()).isEqualTo(7);
    assertThat(result.err()).contains("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): run inside a desktop"
        + " session or use --vault file");
    assertThat(home.resolve("vault/records.json")).doesNotExist();
  }

  @Test
  void selection_byConfigOrEnvironment_unknownAndMemoryAreUsageErrors() throws Exception {
    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: keychain\n");
    login();
    assertThat(session.run("secret-tool", "search", "--all", "service", "authsome", "vault", vaultId()))
        .contains(CONNECTION);

    cli.env.put("AUTHSOME_VAULT", "file");
    Result viaEnv = cli.run("get", "openai", "--field", "status");
    assertThat(viaEnv.exit()).as("the file vault has no openai connection: " + viaEnv).isEqualTo(5);
    cli.env.remove("AUTHSOME_VAULT");

    Result unknown = cli.run("list", "--vault", "kechain");
    assertThat(unknown.exit()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown vault backend 'kechain'; available: file, keychain, memory");

    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: memory\n");
    Result memory = cli.run("get", "openai", "--field", "status");
    assertThat(memory.exit()).as(memory.toString()).isEqualTo(2);
    assertThat(memory.err()).contains("--vault memory");

    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: keychain\n");
    Result toMemory = cli.run("vault", "migrate", "--to", "memory");
    assertThat(toMemory.exit()).as(toMemory.toString()).isEqualTo(2);
  }

  @Test
  void fileVaultOnAHomeWithAKeychain_keepsItsMasterKeyThere_showsIt_andRekeys() throws Exception {
    login();
    String config = Files.readString(home.resolve("config.yaml"));
    assertThat(config).contains("master_key: keychain");
    assertThat(home.resolve("vault/records.json")).exists();
    assertThat(home.resolve("vault/master.key")).doesNotExist();
    assertThat(session.run("secret-tool", "search", "--all", "service", "authsome-master-key"))
        .contains("attribute.vault = " + vaultId());

    Result whoami = cli.run("whoami");
    assertThat(whoami.out()).contains("master key from the OS keychain");
    Result doctor = cli.run("doctor");
    assertThat(doctor.out()).contains("master key from the OS keychain");

    String before = Files.readString(home.resolve("vault/records.json"));
    Result rekey = cli.run("vault", "rekey");
    assertThat(rekey.exit()).as(rekey.toString()).isZero();
    assertThat(Files.readString(home.resolve("vault/records.json"))).isNotEqualTo(before);
    Result export = cli.run("export", "openai", "--format", "json");
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(KEY);

    cli.env.put("DBUS_SESSION_BUS_ADDRESS", "");
    Result unavailable = cli.run("get", "openai", "--field", "status");
    assertThat(unavailable.exit()).as(unavailable.toString()).isEqualTo(7);
    assertThat(unavailable.err()).contains("master key is kept in the OS keychain").contains("no D-Bus session bus");
    assertThat(home.resolve("vault/master.key")).doesNotExist();
  }

  @Test
  void withoutAKeychain_aNewFileVaultUsesTheKeyFile_andTheMasterKeyVariableAlwaysWins() throws Exception {
    cli.env.put("DBUS_SESSION_BUS_ADDRESS", "");
    login();
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("master_key: file");
    assertThat(home.resolve("vault/master.key")).exists();

    Path other = Files.createDirectory(sessionDir.resolve("other-home"));
    Cli withVariable = new Cli(other);
    withVariable.env.putAll(session.environment());
    withVariable.env.put("AUTHSOME_MASTER_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    Result login = withVariable.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(Files.readString(other.resolve("config.yaml"))).contains("master_key: env");
    assertThat(other.resolve("vault/master.key")).doesNotExist();
  }

  @Test
  void migrateFileToKeychain_copiesVerifiesAndSwitches_andBack() throws Exception {
    login();
    Result migrate = cli.run("vault", "migrate", "--to", "keychain");
    assertThat(migrate.exit()).as(migrate.toString()).isZero();
    assertThat(migrate.out()).contains("Migrated 1 record from file to keychain");
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: keychain");
    assertThat(session.run("secret-tool", "search", "--all", "service", "authsome", "vault", vaultId()))
        .contains(CONNECTION);
    Result export = cli.run("export", "openai", "--format", "json");
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(KEY);

    Result back = cli.run("vault", "migrate", "--to", "file");
    assertThat(back.exit()).as(back.toString()).isZero();
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: file");
    assertThat(cli.run("get", "openai", "--field", "status").out().strip()).isEqualTo("connected");
  }

  @Test
  void migrationKilledHalfWay_losesNothing_andTheOldBackendStaysActive() throws Exception {
    Files.writeString(home.resolve("config.yaml"), "format: 1\nvault:\n  backend: keychain\n");
    login();
    String record = session.run("secret-tool", "lookup", "service", "authsome", "account", CONNECTION, "vault",
        vaultId());
    assertThat(record).contains(KEY);
    int extra = 120;
    for (int i = 0; i < extra; i++) {
      session.store(record.replace("\"connection_name\":\"default\"", "\"connection_name\":\"c" + i + "\""),
          "service", "authsome", "account", "profile:default:openai:connection:c" + i, "vault", vaultId());
    }
    int total = extra + 1;

    Cli.Running running = cli.start(null, true, "vault", "migrate", "--to", "file");
    Path records = home.resolve("vault/records.json");
    while (!Files.exists(records) && running.process().isAlive()) {
      Thread.sleep(5);
    }
    boolean interrupted = running.process().isAlive();
    running.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(interrupted).as("the migration was still running when killed").isTrue();

    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: keychain");
    int copied = recordCount(records);
    assertThat(copied).as("records copied before the kill").isLessThan(total);
    Result status = cli.run("get", "openai", "--field", "status");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out().strip()).isEqualTo("connected");
    Result list = cli.run("list", "--json");
    assertThat(list.out()).contains("\"c" + (extra - 1) + "\"");

    Result again = cli.run("vault", "migrate", "--to", "file");
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(again.out()).contains("Migrated " + total + " records from keychain to file");
    assertThat(Files.readString(home.resolve("config.yaml"))).contains("backend: file");
    assertThat(recordCount(records)).isEqualTo(total);
    Result export = cli.run("export", "openai", "--format", "json");
    assertThat(export.json().get("OPENAI_API_KEY").asText()).isEqualTo(KEY);
  }

  private static int recordCount(Path records) throws Exception {
    if (!Files.exists(records)) {
      return 0;
    }
    JsonNode tree = JSON.readTree(records.toFile());
    if (!tree.has("generation")) {
      return tree.path("records").size(); // format 1: every record inside records.json
    }
    // format 2: records.json names the folder that holds one file per record (temporary files start with '.')
    Path folder = records.resolveSibling("records." + tree.path("generation").asLong());
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (var files = Files.list(folder)) {
      return (int) files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
  }
}
