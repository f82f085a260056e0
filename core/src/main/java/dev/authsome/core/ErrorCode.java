package dev.authsome.core;

/**
 * The stable error codes of authsome. Each names the reference's error class (used in {@code --json} error output,
 * never a Java class name) and the process exit code the shell maps it to.
 */
public enum ErrorCode {
  /** Anything not covered below; exit 1. */
  UNEXPECTED("AuthsomeError", 1),
  /** Bad flag, unknown {@code --field}, invalid register file, unknown vault backend, input missing on a non-terminal. */
  USAGE("UsageError", 2),
  /** A provider definition that does not validate. */
  INVALID_PROVIDER("InvalidProviderSchemaError", 2),
  /** A flow that is not installed or does not fit the provider's auth type. */
  UNSUPPORTED_FLOW("UnsupportedFlowError", 2),
  PROVIDER_NOT_FOUND("ProviderNotFoundError", 3),
  AUTHENTICATION_FAILED("AuthenticationFailedError", 4),
  CREDENTIAL_MISSING("CredentialMissingError", 5),
  CONNECTION_NOT_FOUND("ConnectionNotFoundError", 5),
  REFRESH_FAILED("RefreshFailedError", 6),
  TOKEN_EXPIRED("TokenExpiredError", 6),
  /** Vault unavailable, damaged, wrong key, or read-only when a write is needed. */
  VAULT_UNAVAILABLE("StoreUnavailableError", 7),
  INPUT_CANCELLED("InputCancelledError", 8),
  PORT_IN_USE("PortInUseError", 9),
  CONNECTION_EXISTS("ConnectionAlreadyExistsError", 10);

  private final String errorName;
  private final int exitCode;

  ErrorCode(String errorName, int exitCode) {
    this.errorName = errorName;
    this.exitCode = exitCode;
  }

  /** The reference's error class name, as shown in {@code {"error": ...}}. */
  public String errorName() {
    return errorName;
  }

  /** The documented process exit code. */
  public int exitCode() {
    return exitCode;
  }
}
