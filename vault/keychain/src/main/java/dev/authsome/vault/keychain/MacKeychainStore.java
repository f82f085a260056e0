package dev.authsome.vault.keychain;

import dev.authsome.core.AuthsomeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The macOS keychain, through {@code /usr/bin/security}: generic passwords in the user's default keychain. The
 * keychain's own uniqueness is (service, account), so the vault id is part of the service ({@code authsome:<vault>})
 * and is also the generic attribute; the account is the record key.
 *
 * <p>Secrets never go on a command line: writes run {@code security -i} and send the command on stdin. Values are
 * base64 (the tool prints non-ASCII passwords as hex), and an interactive command line is kept short, hence the item
 * limit of {@value #MAX_VALUE_BYTES} bytes (larger values become blobs).
 */
final class MacKeychainStore implements CredentialStore {
  static final int MAX_VALUE_BYTES = 1536;
  static final String SECURITY = "/usr/bin/security";
  /** errSecItemNotFound, as the exit status of {@code security}. */
  static final int NOT_FOUND = 44;

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,512}");
  private static final Pattern ATTRIBUTE =
      Pattern.compile("^\\s*\"(svce|acct)\"<blob>=(?:\"(.*)\"|(0x[0-9A-Fa-f]+)(?:\\s+\".*\")?|<NULL>)\\s*$");

  private final CommandRunner runner;
  private final String service;
  private final String vaultId;

  MacKeychainStore(CommandRunner runner, String serviceName, String vaultId) {
    this.runner = runner;
    this.service = serviceName + ":" + vaultId;
    this.vaultId = vaultId;
  }

  @Override
  public Optional<byte[]> read(String account) {
    CommandRunner.Result result = runner.run(
        List.of(SECURITY, "find-generic-password", "-s", service, "-a", encode(account), "-w"), "");
    if (result.exitCode() == NOT_FOUND) {
      return Optional.empty();
    }
    check(result, "read '" + account + "'");
    try {
      return Optional.of(Base64.getDecoder().decode(result.stdout().strip()));
    } catch (IllegalArgumentException e) {
      throw AuthsomeException.vault("the macOS keychain item '" + account + "' of service " + service
          + " was not written by authsome (not base64); delete it in Keychain Access and log in again");
    }
  }

  @Override
  public void write(String account, String label, byte[] value) {
    String command = String.join(" ", "add-generic-password", "-U",
        "-s", quote(service), "-a", quote(encode(account)), "-l", quote(label.replaceAll("[^A-Za-z0-9._:@/+= ()-]", "_")), "-G", quote(vaultId),
        "-w", quote(Base64.getEncoder().encodeToString(value)));
    CommandRunner.Result result = runner.run(List.of(SECURITY, "-i"), command + "\n");
    // In interactive mode the tool may exit 0 after a failed command; its complaint on stderr is what counts.
    if (result.exitCode() != 0 || !result.stderr().isBlank()) {
      check(new CommandRunner.Result(result.exitCode() == 0 ? 1 : result.exitCode(), result.stdout(),
          result.stderr()), "write '" + account + "'");
    }
  }

  @Override
  public boolean delete(String account) {
    CommandRunner.Result result = runner.run(
        List.of(SECURITY, "delete-generic-password", "-s", service, "-a", encode(account)), "");
    if (result.exitCode() == NOT_FOUND) {
      return false;
    }
    check(result, "delete '" + account + "'");
    return true;
  }

  @Override
  public List<String> accounts() {
    CommandRunner.Result result = runner.run(List.of(SECURITY, "dump-keychain"), "");
    check(result, "list the items");
    List<String> accounts = new ArrayList<>();
    String itemService = null;
    String itemAccount = null;
    for (String line : result.stdout().split("\n", -1)) {
      if (line.startsWith("keychain:")) {
        collect(accounts, itemService, itemAccount);
        itemService = null;
        itemAccount = null;
        continue;
      }
      Matcher m = ATTRIBUTE.matcher(line);
      if (m.matches()) {
        String value = m.group(2) != null ? m.group(2)
            : m.group(3) != null ? new String(HexFormat.of().parseHex(m.group(3).substring(2)), StandardCharsets.UTF_8)
            : null;
        if (m.group(1).equals("svce")) {
          itemService = value;
        } else {
          itemAccount = value;
        }
      }
    }
    collect(accounts, itemService, itemAccount);
    return accounts;
  }

  private void collect(List<String> accounts, String itemService, String itemAccount) {
    if (service.equals(itemService) && itemAccount != null) {
      accounts.add(decode(itemAccount));
    }
  }

  @Override
  public int maxValueBytes() {
    return MAX_VALUE_BYTES;
  }

  @Override
  public String describe() {
    return "macOS Keychain, service " + service;
  }

  @Override
  public void close() {}

  /** Keys that are not plain ASCII words are stored base64url-encoded, so that quoting never matters. */
  static String encode(String text) {
    return SAFE.matcher(text).matches() && !text.startsWith("b64:") ? text
        : "b64:" + Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String stored) {
    if (!stored.startsWith("b64:")) {
      return stored;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(stored.substring(4)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return stored;
    }
  }

  private static String quote(String safe) {
    return "\"" + safe + "\"";
  }

  private void check(CommandRunner.Result result, String what) {
    if (result.exitCode() == 0) {
      return;
    }
    String detail = result.stderr().strip().lines().findFirst().orElse("exit " + result.exitCode());
    if (detail.contains("User interaction is not allowed") || detail.contains("locked")) {
      throw AuthsomeException.vault("the macOS keychain is locked (" + detail + "): run security unlock-keychain, or "
          + DBusSession.FIX);
    }
    throw AuthsomeException.vault("the macOS keychain could not " + what + " (" + detail + "); " + DBusSession.FIX);
  }
}
