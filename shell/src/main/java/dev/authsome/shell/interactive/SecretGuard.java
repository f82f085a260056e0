package dev.authsome.shell.interactive;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Decides which lines may enter the history file. Secrets are never arguments, but a person may still paste one:
 * a line is dropped when it contains a secret read in this session or carries a flag that names a secret.
 */
final class SecretGuard {
  /** {@code --api-key}, {@code --client-secret}, {@code --password}, {@code --token} and their spellings. */
  private static final Pattern SECRET_FLAG = Pattern.compile(
      "(?i)(^|\\s)--?(api[-_]?key|client[-_]?secret|password|passwd|secret|token|access[-_]?token"
          + "|refresh[-_]?token)(=|\\s|$)");
  /** Values shorter than this are too common to treat as secrets (e.g. a one-letter answer). */
  private static final int MIN_SECRET_LENGTH = 4;

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Remembers a secret read in this session, so that no later line containing it is kept. */
  void secretSeen(String value) {
    String v = value.strip();
    if (v.length() >= MIN_SECRET_LENGTH) {
      secrets.add(v);
    }
  }

  /** Whether the line may be written to the history file. */
  boolean allows(String line) {
    if (SECRET_FLAG.matcher(line).find()) {
      return false;
    }
    for (String s : secrets) {
      if (line.contains(s)) {
        return false;
      }
    }
    return true;
  }
}
