package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home written by authsome 0.1 (format 1: every record inside {@code vault/records.json}; the fixture in
 * {@code src/test/resources/format1-home} was made by that build's {@code login --stdin}) keeps working: reads leave
 * it as it is, and the first write upgrades it to one file per record with every credential intact.
 */
class VaultUpgradeEndToEndTest {

  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void copyTheFormat1Home() throws IOException, URISyntaxException {
    Cli.assumeComplete();
    Path fixture = Path.of(VaultUpgradeEndToEndTest.class.getResource("/format1-home").toURI());
    try (Stream<Path> all = Files.walk(fixture)) {
      for (Path source : all.toList()) {
        Path target = home.resolve(fixture.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        } else {
          Files.copy(source, target);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        }
      }
    }
    cli = new Cli(home);
  }

  @Test
  void readsLeaveAFormat1VaultAsItIs() throws IOException {
    var before = VaultAtRestEndToEndTest.vaultContents(home);

    Result list = cli.run("list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("\"work\"").contains("resend");
    assertSecrets();
    assertThat(VaultAtRestEndToEndTest.vaultContents(home)).isEqualTo(before);

    // doctor proves the vault writable by writing a test record: that first write upgrades it, and all is well
    assertThat(cli.run("doctor").exit()).isZero();
    assertSecrets();
  }

  @Test
  void theFirstWrite_upgradesToOneFilePerRecord_keepingEveryCredential() throws IOException {
    Result login = cli.feed("sk-afterUpgrade0123456789abcdefghij\n", "login", "openai", "--connection", "third",
        "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();

    assertThat(Files.readString(home.resolve("vault/records.json"))).contains("\"format\" : 2");
    assertThat(VaultAtRestEndToEndTest.recordFile(home, ":openai:connection:work")).exists();
    assertSecrets();
    Result third = cli.run("get", "openai", "--connection", "third", "--field", "api_key", "--show-secret");
    assertThat(third.out().strip()).as(third.toString()).isEqualTo("sk-afterUpgrade0123456789abcdefghij");
    assertThat(cli.run("doctor").exit()).isZero();
    Result rekey = cli.run("vault", "rekey");
    assertThat(rekey.exit()).as(rekey.toString()).isZero();
    assertSecrets();
  }

  private void assertSecrets() {
    assertSecret("openai", "default", "api_key", "sk-format1-openai-000000000000000000000000000000000");
    assertSecret("openai", "work", "api_key", "sk-format1-work-0000000000000000000000000000000000");
    assertSecret("resend", "default", "api_key", "re_format1_resend_000000000000000000");
  }

  private void assertSecret(String provider, String connection, String field, String expected) {
    Result get = cli.run("get", provider, "--connection", connection, "--field", field, "--show-secret");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.out().strip()).isEqualTo(expected);
  }
}
