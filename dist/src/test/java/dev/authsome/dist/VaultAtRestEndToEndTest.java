package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the file vault leaves on disk: no key in any encoding, private modes, damage detected and left alone. */
class VaultAtRestEndToEndTest {
  static final String KEY = "sk-atRESTsecret0123456789abcdefghij";

  @TempDir Path home;
  Cli cli;

  @BeforeEach
  void setUp() {
    Cli.assumeComplete();
    cli = new Cli(home);
  }

  @Test
  void noFileInTheHome_containsTheKeyInPlainHexOrBase64() throws IOException {
    loginOpenai();
    cli.run("export", "openai", "--format", "json");
    cli.run("get", "openai", "--show-secret");
    List<String> encodings = encodings(KEY);
    for (Path file : cli.files()) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String encoded : encodings) {
        assertThat(content).as(file + " must not hold the key as " + encoded).doesNotContain(encoded);
        assertThat(content.toLowerCase(Locale.ROOT)).as(file.toString())
            .doesNotContain(encoded.toLowerCase(Locale.ROOT));
      }
    }
  }

  /** The key in plain text, hex, and base64 (standard and URL-safe) at every byte alignment. */
  static List<String> encodings(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(List.of(key, HexFormat.of().formatHex(bytes)));
    for (int shift = 0; shift < 3; shift++) {
      byte[] padded = new byte[bytes.length + shift];
      System.arraycopy(bytes, 0, padded, shift, bytes.length);
      for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String b64 = enc.encodeToString(padded);
        // drop the characters that mix in the padding bytes before and after the key
        int start = (shift * 4 + 2) / 3;
        out.add(b64.substring(start, Math.max(start, b64.length() - 4)));
      }
    }
    return out;
  }

  @Test
  void everyFolderIs0700_andEveryFileIs0600() throws IOException {
    loginOpenai();
    cli.run("list");
    cli.run("export");
    cli.run("doctor");
    try (Stream<Path> all = Files.walk(home)) {
      for (Path p : all.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
  }

  @Test
  void damagedVault_exits7NamingTheFile_andIsNeverRewritten() throws IOException {
    loginOpenai();
    Path records = home.resolve("vault/records.json");
    assertThat(records).exists();
    damage(records);
    byte[] before = Files.readAllBytes(records);

    Result get = cli.run("get", "openai", "--field", "status");
    assertThat(get.exit()).as(get.toString()).isEqualTo(7);
    assertThat(get.err()).contains(records.toString());

    Result write = cli.feed("sk-anotherKEY0123456789abcdefgh\n", "login", "openai", "--connection", "second",
        "--stdin");
    assertThat(write.exit()).as(write.toString()).isEqualTo(7);
    Result logout = cli.run("logout", "openai");
    assertThat(logout.exit()).as(logout.toString()).isEqualTo(7);
    Result doctor = cli.run("doctor");
    assertThat(doctor.exit()).as(doctor.toString()).isEqualTo(7);
    cli.run("list");
    cli.run("export");

    assertThat(Files.readAllBytes(records)).as("the damaged vault must be left byte for byte").isEqualTo(before);
  }

  /** Flips one character in the middle of the longest string value (a record's ciphertext); the JSON stays valid. */
  static void damage(Path records) throws IOException {
    String text = Files.readString(records);
    int bestStart = -1;
    int bestLength = 0;
    int i = 0;
    while ((i = text.indexOf('"', i)) >= 0) {
      int end = text.indexOf('"', i + 1);
      if (end < 0) {
        break;
      }
      if (end - i > bestLength) {
        bestLength = end - i;
        bestStart = i + 1;
      }
      i = end + 1;
    }
    assertThat(bestLength).as("a long value to damage in " + records).isGreaterThan(40);
    int at = bestStart + bestLength / 2;
    char c = text.charAt(at);
    char replacement = c == 'A' ? 'B' : 'A';
    Files.writeString(records, text.substring(0, at) + replacement + text.substring(at + 1));
  }

  @Test
  void readOnlyHome_writesExit7_readsWorkAndWarnAboutTheAuditEntry() throws Exception {
    loginOpenai();
    ReadOnly.makeReadOnly(home, cli);

    Result status = cli.run("get", "openai", "--field", "status");
    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out().strip()).isEqualTo("connected");
    Result secret = cli.run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(secret.exit()).as(secret.toString()).isZero();
    assertThat(secret.err()).contains("Audit entry");
    assertThat(cli.run("list", "--json").exit()).isZero();

    Result login = cli.feed("sk-anotherKEY0123456789abcdefgh\n", "login", "openai", "--connection", "second",
        "--stdin");
    assertThat(login.exit()).as(login.toString()).isEqualTo(7);
    Result logout = cli.run("logout", "openai");
    assertThat(logout.exit()).as(logout.toString()).isEqualTo(7);
  }

  private void loginOpenai() {
    Result r = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(r.exit()).as(r.toString()).isZero();
  }
}
