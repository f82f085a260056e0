package dev.authsome.flows.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthType;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.spi.InputField;
import org.junit.jupiter.api.Test;

class ApiKeyFlowTest {
  private static final String KEY = "sk-abcdefghijklmnopqrstuvwxyz123456";

  @Test
  void login_storesTheTrimmedKey_asAConnectedApiKeyRecord() {
    TestFlowContext context = new TestFlowContext(TestFlowContext.OPENAI, "  " + KEY + "\n");

    ConnectionRecord record = new ApiKeyFlow().login(context).connection();

    assertThat(record.apiKey()).isEqualTo(KEY);
    assertThat(record.status()).isEqualTo(ConnectionStatus.CONNECTED);
    assertThat(record.authType()).isEqualTo(AuthType.API_KEY);
    assertThat(record.flow()).isEqualTo("api_key");
    assertThat(record.schemaVersion()).isEqualTo(ConnectionRecord.SCHEMA_VERSION);
    assertThat(record.provider()).isEqualTo("openai");
    assertThat(record.profile()).isEqualTo("default");
    assertThat(record.connectionName()).isEqualTo("work");
    assertThat(record.obtainedAt()).isEqualTo(TestFlowContext.NOW);
    assertThat(record.apiUrls()).containsExactly("api.openai.com", "https://files.openai.com/v1");
    assertThat(record.accessToken()).isNull();
  }

  @Test
  void login_asksForOneMaskedRequiredField_withTheProvidersPatternAndHint() {
    TestFlowContext context = new TestFlowContext(TestFlowContext.OPENAI, KEY);

    new ApiKeyFlow().login(context);

    assertThat(context.requests).singleElement().satisfies(request -> {
      assertThat(request.provider()).isEqualTo("openai");
      assertThat(request.docsUrl()).isEqualTo("https://platform.openai.com/docs/api-reference/authentication");
      InputField field = request.fields().get(0);
      assertThat(field.name()).isEqualTo("api_key");
      assertThat(field.label()).isEqualTo("API key for OpenAI");
      assertThat(field.secret()).isTrue();
      assertThat(field.required()).isTrue();
      assertThat(field.pattern()).isEqualTo("^sk-[A-Za-z0-9_-]{20,}$");
      assertThat(field.patternHint()).isEqualTo("OpenAI API keys start with sk-");
    });
  }

  @Test
  void emptyKey_isAUsageError() {
    assertThatThrownBy(() -> new ApiKeyFlow().login(new TestFlowContext(TestFlowContext.OPENAI, "  \n")))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessageContaining("API key cannot be empty");
  }

  @Test
  void keyNotMatchingThePattern_failsAuthentication_withTheHint_neverTheKey() {
    String wrong = "pk-this-is-a-secret-value-1234567890";
    assertThatThrownBy(() -> new ApiKeyFlow().login(new TestFlowContext(TestFlowContext.OPENAI, wrong)))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
          assertThat(e.getMessage()).contains("OpenAI API keys start with sk-").contains("authsome login openai")
              .doesNotContain(wrong).doesNotContain("secret-value");
        });
  }

  @Test
  void keyNotMatchingThePattern_withoutHint_namesTheProvider() {
    String yaml = TestFlowContext.OPENAI.replace("  key_pattern_hint: OpenAI API keys start with sk-\n", "");
    assertThatThrownBy(() -> new ApiKeyFlow().login(new TestFlowContext(yaml, "nope")))
        .hasMessageContaining("API key for OpenAI doesn't match the expected format");
  }

  @Test
  void providerWithoutPattern_acceptsAnyNonEmptyKey() {
    String yaml = TestFlowContext.OPENAI.replace("  key_pattern: '^sk-[A-Za-z0-9_-]{20,}$'\n", "");
    assertThat(new ApiKeyFlow().login(new TestFlowContext(yaml, "anything")).connection().apiKey())
        .isEqualTo("anything");
  }
}
