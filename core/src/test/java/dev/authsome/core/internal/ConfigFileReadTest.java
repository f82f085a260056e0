package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code config.yaml} is read with SnakeYAML's composer, not its constructor: what users wrote must read exactly as it
 * did when the constructor built Java values from it (booleans, numbers, lists, anchors, merges, empty values).
 */
class ConfigFileReadTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "format: 1\nvault:\n  backend: file\n  master_key: keychain\noauth:\n  callback_port: 7998\n",
      "vault.backend: memory\noauth.callback_port: 9000\n",
      "oauth:\n  open_browser: yes\n  quiet: Off\n  loud: ON\n  strict: \"yes\"\n  t: True\n  f: false\n",
      "oauth:\n  callback_port: 7_998\n  login_timeout_seconds: +300\n  refresh_margin_seconds: -1\n  zero: 0\n",
      "oauth:\n  refresh_margin_seconds:\n  callback_port: ~\n  other: null\nvault:\n",
      "oauth:\n  scopes: [repo, 'read:org', 3]\n  ratio: 1.5\n  word: hello world\n",
      "base: &base\n  backend: file\n  master_key: env\nvault:\n  <<: *base\n  master_key: keychain\n",
      "a: &x {b: 1}\nc: *x\n",
      "{format: 1, vault: {backend: memory}}\n",
      "# only a comment\n",
      "",
  })
  void reads_asSnakeYamlsConstructorDid(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
    assertThat(ConfigFile.read(file)).isEqualTo(asTheConstructorRead(yaml));
  }

  @Test
  void aHomeThatIsAFile_isAUsageErrorSayingSo_notAskingToFixTheYaml() throws Exception {
    Path notAFolder = Files.writeString(dir.resolve("home"), "a file, not a folder\n");
    Path file = notAFolder.resolve("config.yaml");

    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOfSatisfying(AuthsomeException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE)).hasMessage("Cannot read " + file + " (Not a directory); "
            + "check that " + notAFolder + " is a folder you can read, or point AUTHSOME_HOME at one.");
  }

  @Test
  void yamlBooleansAndNumbers_readAsTheirValues() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"),
        "oauth:\n  open_browser: yes\n  strict: 'yes'\n  callback_port: 7_998\n  refresh_margin_seconds:\n");
    assertThat(ConfigFile.read(file)).containsEntry("oauth.open_browser", "true")
        .containsEntry("oauth.strict", "yes").containsEntry("oauth.callback_port", "7998")
        .doesNotContainKey("oauth.refresh_margin_seconds");
    // a date stays as written (the constructor printed java.util.Date's toString of it)
    Files.writeString(file, "oauth:\n  since: 2024-01-02\n");
    assertThat(ConfigFile.read(file)).containsEntry("oauth.since", "2024-01-02");
  }

  @Test
  void aKeySetTwice_isAUsageErrorNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), "vault:\n  backend: file\n  backend: memory\n");
    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOfSatisfying(AuthsomeException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
      assertThat(e.getMessage()).contains(file.toString()).contains("vault.backend");
    });
  }

  @Test
  void aListOrAScalarAtTheTop_isAUsageErrorSayingWhatItIs() throws Exception {
    Path list = Files.writeString(dir.resolve("list.yaml"), "- file\n- memory\n");
    assertThatThrownBy(() -> ConfigFile.read(list)).hasMessageContaining("must be a YAML mapping")
        .hasMessageContaining("not a list");
    Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "file\n");
    assertThatThrownBy(() -> ConfigFile.read(scalar)).hasMessageContaining("not a single value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"format: 2\n", "format: 1.0\n", "format: one\n", "format: [1]\n", "format: '1'\n"})
  void aFormatThatIsNotASupportedNumber_isRefused(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
    assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOfSatisfying(AuthsomeException.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
      assertThat(e.getMessage()).contains("has format").contains("reads formats 1 to 1");
    });
  }

  @Test
  void twoDocuments_orAnAliasBomb_areRefusedNamingTheFile() throws Exception {
    Path two = Files.writeString(dir.resolve("two.yaml"), "vault:\n  backend: file\n---\nvault:\n  backend: memory\n");
    assertThatThrownBy(() -> ConfigFile.read(two)).hasMessageContaining(two.toString());
    StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
    for (char c = 'b'; c <= 'm'; c++) {
      bomb.append(c).append(": &").append(c).append(" [*").append((char) (c - 1)).append(", *")
          .append((char) (c - 1)).append("]\n");
    }
    Path bombed = Files.writeString(dir.resolve("bomb.yaml"), bomb);
    assertThatThrownBy(() -> ConfigFile.read(bombed)).isInstanceOf(AuthsomeException.class)
        .hasMessageContaining(bombed.toString());
  }

  /** The flattening of the reader before this one: SnakeYAML's safe constructor, values printed with valueOf. */
  private static Map<String, String> asTheConstructorRead(String yaml) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    Map<String, String> flat = new TreeMap<>();
    if (root != null) {
      flatten("", root, flat);
    }
    flat.remove("format");
    return flat;
  }

  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      out.put(prefix, String.join(",", list.stream().map(String::valueOf).toList()));
    } else if (node != null) {
      out.put(prefix, String.valueOf(node));
    }
  }
}
