package dev.authsome.vault.keychain;

import java.util.List;
import java.util.Optional;

/**
 * The Windows Credential Manager as authsome uses it: generic credentials (CRED_TYPE_GENERIC) of the current user.
 * The seam at which the Windows code path is tested with the OS faked; {@link Advapi32Credentials} is the real one.
 */
interface CredentialApi {
  /** CRED_MAX_CREDENTIAL_BLOB_SIZE: CredWriteW refuses larger blobs. */
  int MAX_BLOB_BYTES = 5 * 512;
  /** ERROR_NOT_FOUND. */
  int ERROR_NOT_FOUND = 1168;

  /**
   * A Win32 failure: the function and GetLastError(). Internal only: {@link WindowsCredentialStore} turns each into
   * an {@link dev.authsome.core.AuthsomeException}, so none escapes this module.
   */
  final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    Failure(String function, int errorCode) {
      super(function + " failed with Win32 error " + errorCode, null, false, false);
      this.errorCode = errorCode;
    }

    int errorCode() {
      return errorCode;
    }
  }

  /** CredWriteW: creates or replaces the credential {@code target}. */
  void write(String target, String userName, String comment, byte[] blob);

  /** CredReadW: the blob of {@code target}, if it exists. */
  Optional<byte[]> read(String target);

  /** CredEnumerateW with a filter ending in {@code *}: the matching target names. */
  List<String> enumerate(String filter);

  /** CredDeleteW: whether {@code target} existed. */
  boolean delete(String target);
}
