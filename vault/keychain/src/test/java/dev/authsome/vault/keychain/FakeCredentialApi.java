package dev.authsome.vault.keychain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A stand-in for the Windows Credential Manager (this build runs on Linux): generic credentials in memory, refusing
 * blobs over CRED_MAX_CREDENTIAL_BLOB_SIZE with ERROR_INVALID_PARAMETER (87) and target names over 32767 characters,
 * and matching CredEnumerateW filters that end in {@code *}.
 */
final class FakeCredentialApi implements CredentialApi {
  private static final int ERROR_INVALID_PARAMETER = 87;

  record Credential(String userName, String comment, byte[] blob) {}

  final Map<String, Credential> credentials = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

  @Override
  public void write(String target, String userName, String comment, byte[] blob) {
    if (blob.length > MAX_BLOB_BYTES || target.length() > 32767) {
      throw new Failure("CredWriteW", ERROR_INVALID_PARAMETER);
    }
    credentials.put(target, new Credential(userName, comment, blob.clone()));
  }

  @Override
  public Optional<byte[]> read(String target) {
    return Optional.ofNullable(credentials.get(target)).map(c -> c.blob().clone());
  }

  @Override
  public List<String> enumerate(String filter) {
    String prefix = filter.endsWith("*") ? filter.substring(0, filter.length() - 1) : filter;
    List<String> targets = new ArrayList<>();
    for (String target : credentials.keySet()) {
      if (filter.endsWith("*") ? target.regionMatches(true, 0, prefix, 0, prefix.length())
          : target.equalsIgnoreCase(prefix)) {
        targets.add(target);
      }
    }
    return targets;
  }

  @Override
  public boolean delete(String target) {
    return credentials.remove(target) != null;
  }
}
