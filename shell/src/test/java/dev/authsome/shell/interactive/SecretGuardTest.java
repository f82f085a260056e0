package dev.authsome.shell.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretGuardTest {
  private final SecretGuard guard = new SecretGuard(java.util.Set.of("login", "get", "inspect", "list", "whoami"));

  @Test
  void allows_ordinaryCommandLines() {
    assertThat(guard.allows("login openai")).isTrue();
    assertThat(guard.allows("get openai --field status")).isTrue();
    assertThat(guard.allows("login github --client-id abc --flow device_code")).isTrue();
  }

  @Test
  void rejects_linesWithSecretFlags_inEverySpelling() {
    assertThat(guard.allows("login openai --api-key sk-123")).isFalse();
    assertThat(guard.allows("login openai --api_key=sk-123")).isFalse();
    assertThat(guard.allows("login x --client-secret s3cr3t")).isFalse();
    assertThat(guard.allows("login x --password hunter2")).isFalse();
    assertThat(guard.allows("login x --token abc")).isFalse();
    assertThat(guard.allows("login x --TOKEN=abc")).isFalse();
  }

  @Test
  void rejects_linesContainingASecretReadInThisSession() {
    guard.secretSeen("sk-pasted-by-mistake-123");
    assertThat(guard.allows("inspect sk-pasted-by-mistake-123")).isFalse();
    assertThat(guard.allows("inspect openai")).isTrue();
  }

  @Test
  void ignores_emptyAndVeryShortAnswers_soThatOrdinaryLinesStayInHistory() {
    guard.secretSeen("");
    guard.secretSeen("y");
    assertThat(guard.allows("list")).isTrue();
    assertThat(guard.allows("whoami")).isTrue();
  }

  @Test
  void rejects_linesWhoseFirstWordIsNoCommand_soAPastedKeyNeverSeenIsNotKept() {
    assertThat(guard.allows("sk-proj-pasted-at-the-prompt-0123456789")).isFalse();
    assertThat(guard.allows("ghp_abcdef0123456789 login")).isFalse();
    assertThat(guard.allows("  LOGIN openai")).as("case and leading blanks do not matter").isTrue();
  }
}
