package dev.authsome.core;

import static java.util.Objects.requireNonNull;

/**
 * The one root of every error authsome raises. The message is a single line that says what was wrong and what to
 * do; it never contains a secret. The shell maps {@link #code()} to the exit code.
 */
public class AuthsomeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public AuthsomeException(ErrorCode code, String message) {
    super(requireNonNull(message, "message"));
    this.code = requireNonNull(code, "code");
  }

  public AuthsomeException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause);
    this.code = requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public static AuthsomeException usage(String message) {
    return new AuthsomeException(ErrorCode.USAGE, message);
  }

  public static AuthsomeException providerNotFound(String name) {
    return new AuthsomeException(ErrorCode.PROVIDER_NOT_FOUND,
        "Provider '" + name + "' not found; run 'authsome list' to see the available providers.");
  }

  public static AuthsomeException vault(String message) {
    return new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, message);
  }

  public static AuthsomeException vault(String message, Throwable cause) {
    return new AuthsomeException(ErrorCode.VAULT_UNAVAILABLE, message, cause);
  }

  public static AuthsomeException cancelled(String message) {
    return new AuthsomeException(ErrorCode.INPUT_CANCELLED, message);
  }

  public static AuthsomeException authenticationFailed(String message) {
    return new AuthsomeException(ErrorCode.AUTHENTICATION_FAILED, message);
  }
}
