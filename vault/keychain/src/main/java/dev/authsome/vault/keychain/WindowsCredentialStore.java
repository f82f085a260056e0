package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Windows Credential Manager: one generic credential per record, target name
 * {@code authsome:<vault>:<record key>} (the target is the credential's identity, so the vault is part of it), user
 * name = the record key. Blobs are limited to 2560 bytes; larger values become encrypted blob files.
 */
final class WindowsCredentialStore implements CredentialStore {
  private final CredentialApi api;
  private final String prefix;
  private final String vaultId;

  WindowsCredentialStore(CredentialApi api, String serviceName, String vaultId) {
    this.api = api;
    this.prefix = serviceName + ":" + vaultId + ":";
    this.vaultId = vaultId;
  }

  @Override
  public Optional<byte[]> read(String account) {
    try {
      return api.read(prefix + account);
    } catch (CredentialApi.Failure e) {
      throw unavailable("read '" + account + "'", e);
    }
  }

  @Override
  public void write(String account, String label, byte[] value) {
    try {
      api.write(prefix + account, account, label + " (vault " + vaultId + ")", value);
    } catch (CredentialApi.Failure e) {
      throw unavailable("write '" + account + "'", e);
    }
  }

  @Override
  public boolean delete(String account) {
    try {
      return api.delete(prefix + account);
    } catch (CredentialApi.Failure e) {
      throw unavailable("delete '" + account + "'", e);
    }
  }

  @Override
  public List<String> accounts() {
    try {
      List<String> accounts = new ArrayList<>();
      for (String target : api.enumerate(prefix + "*")) {
        if (target.startsWith(prefix)) {
          accounts.add(target.substring(prefix.length()));
        }
      }
      return accounts;
    } catch (CredentialApi.Failure e) {
      throw unavailable("list the credentials", e);
    }
  }

  @Override
  public int maxValueBytes() {
    return CredentialApi.MAX_BLOB_BYTES;
  }

  @Override
  public String describe() {
    return "Windows Credential Manager, targets " + prefix + "*";
  }

  @Override
  public void close() {}

  private static AuthsomeException unavailable(String what, CredentialApi.Failure e) {
    return AuthsomeException.vault("the Windows Credential Manager could not " + what + " (" + e.getMessage()
        + "); " + DBusSession.FIX, e);
  }
}
