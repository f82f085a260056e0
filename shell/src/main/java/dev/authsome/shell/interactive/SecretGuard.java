package dev.authsome.shell.interactive;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Decides which lines may enter the history file. Secrets are never arguments, but a person may still paste one:
 * a line is dropped when it contains a secret read in this session (from any input source), carries a flag that
 * names a secret, or does not start with a known command (a key pasted at the prompt on its own is not a command,
 * whether or not this session has seen it).
 */
final class SecretGuard {
  /** {@code --api-key}, {@code --client-secret}, {@code --password}, {@code --token} and their spellings. */
  private static final Pattern SECRET_FLAG = Pattern.compile(
      "(?i)(^|\\s)--?(api[-_]?key|client[-_]?secret|password|passwd|secret|token|access[-_]?token"
          + "|refresh[-_]?token)(=|\\s|$)");
  /** Values shorter than this are too common to treat as secrets (e.g. a one-letter answer). */
  private static final int MIN_SECRET_LENGTH = 4;

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private final Set<String> commands;

  /** {@code commands}: the first words a kept line may start with (command names and aliases). */
  SecretGuard(Set<String> commands) {
    this.commands = Set.copyOf(commands);
  }

  /** Remembers a secret read in this session, so that no later line containing it is kept. */
  void secretSeen(String value) {
    String v = value.strip();
    if (v.length() >= MIN_SECRET_LENGTH) {
      secrets.add(v);
    }
  }

  /** Whether the line may be written to the history file. */
  boolean allows(String line) {
    String first = line.strip().split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
    if (!commands.contains(first)) {
      return false;
    }
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
