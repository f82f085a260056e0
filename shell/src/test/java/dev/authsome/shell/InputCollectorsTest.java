package dev.authsome.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.InputField;
import dev.authsome.core.spi.InputRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputCollectorsTest {
  static final InputRequest API_KEY = new InputRequest("openai", "OpenAI API key", null,
      List.of(InputField.secret("api_key", "API key for OpenAI", true)));

  @Test
  void stdin_readsOneLineAsTheSecret_withoutTheLineBreak() {
    InputCollector c = InputCollectors.stdin(in("sk-abc\r\nsecond line\n"));
    Map<String, Secret> values = c.collect(API_KEY);
    assertThat(values.get("api_key").reveal()).isEqualTo("sk-abc");
  }

  @Test
  void stdin_emptyInput_isUsageErrorNamingStdin() {
    assertThatThrownBy(() -> InputCollectors.stdin(in("")).collect(API_KEY))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("--stdin");
        });
  }

  @Test
  void stdin_requiredClientId_isUsageErrorNamingItsFlag() {
    InputRequest oauth = new InputRequest("github", "GitHub client", null, List.of(
        InputField.text("client_id", "Client ID", true, null), InputField.secret("client_secret", "Secret", false)));
    assertThatThrownBy(() -> InputCollectors.stdin(in("s3cr3t\n")).collect(oauth))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.getMessage()).contains("--client-id"));
  }

  @Test
  void stdin_fieldsWithDefaults_takeThem_andTheSecretComesFromTheLine() {
    InputRequest oauth = new InputRequest("github", "GitHub client", null, List.of(
        InputField.text("client_id", "Client ID", true, "cid"), InputField.secret("client_secret", "Secret", false),
        InputField.hint("redirect_uri", "Redirect URI", "http://127.0.0.1:7998/cb")));
    Map<String, Secret> values = InputCollectors.stdin(in("s3cr3t\n")).collect(oauth);
    assertThat(values).containsOnlyKeys("client_id", "client_secret");
    assertThat(values.get("client_id").reveal()).isEqualTo("cid");
    assertThat(values.get("client_secret").reveal()).isEqualTo("s3cr3t");
  }

  @Test
  void none_requiredFieldWithoutDefault_isUsageErrorNamingStdin_neverWaits() {
    assertThatThrownBy(() -> InputCollectors.none().collect(API_KEY))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
          assertThat(e.getMessage()).contains("--stdin").contains("not a terminal");
        });
  }

  @Test
  void choose_takesTheFirstSourceThatApplies() {
    InputCollector first = r -> Map.of("api_key", Secret.of("from-first"));
    InputCollector second = r -> Map.of("api_key", Secret.of("from-second"));
    InputCollector chosen = InputCollectors.choose(List.of(
        new InputCollectors.Source("a", false, () -> first),
        new InputCollectors.Source("b", true, () -> second),
        new InputCollectors.Source("c", true, () -> first)));
    assertThat(chosen.collect(API_KEY).get("api_key").reveal()).isEqualTo("from-second");
  }

  private static ByteArrayInputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everySecretCollected_whateverTheSource_isReportedToTheHistoryGuard() {
    // the shell feeds its history guard from here; stdin stands for every source the login may choose (the browser
    // form and the masked prompt are plugged into the same place by LoginCommand)
    App.DelegatingInput input = new App.DelegatingInput();
    java.util.List<String> seen = new java.util.ArrayList<>();
    input.secretsSeen = seen::add;
    input.delegate = InputCollectors.stdin(in("sk-from-stdin-123\n"));
    InputRequest oauth = new InputRequest("github", "GitHub client", null, List.of(
        InputField.text("client_id", "Client ID", true, "cid"), InputField.secret("client_secret", "Secret", false)));

    input.collect(oauth);

    assertThat(seen).containsExactly("sk-from-stdin-123");
  }
}
