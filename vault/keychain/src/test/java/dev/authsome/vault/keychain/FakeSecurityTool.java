package dev.authsome.vault.keychain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for macOS {@code /usr/bin/security} (this build runs on Linux): generic passwords in memory, with the
 * command syntax, exit codes (44 = item not found) and {@code dump-keychain} output format of the real tool, and a
 * 4096-character limit on an interactive command line. {@link #locked} makes every command fail as a locked keychain
 * does in an SSH session.
 */
final class FakeSecurityTool implements CommandRunner {
  static final int LINE_LIMIT = 4096;

  record Item(String label, String generic, String password) {}

  final Map<List<String>, Item> items = new LinkedHashMap<>();
  final List<List<String>> commands = new ArrayList<>();
  volatile boolean locked;

  @Override
  public synchronized Result run(List<String> command, String stdin) {
    commands.add(List.copyOf(command));
    if (!command.get(0).equals(MacKeychainStore.SECURITY)) {
      return new Result(127, "", command.get(0) + ": not found");
    }
    if (locked) {
      return new Result(36, "", "security: SecKeychainItemCopyContent: User interaction is not allowed.");
    }
    List<String> args = command.subList(1, command.size());
    if (args.equals(List.of("-i"))) {
      StringBuilder err = new StringBuilder();
      for (String line : stdin.split("\n")) {
        if (line.length() > LINE_LIMIT) {
          err.append("security: line too long\n");
          continue;
        }
        Result r = execute(tokenize(line));
        err.append(r.stderr());
      }
      return new Result(0, "", err.toString()); // interactive mode exits 0 even when a command failed
    }
    return execute(args);
  }

  private Result execute(List<String> args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String option = args.get(i);
      boolean flag = option.equals("-U") || option.equals("-w") && i == args.size() - 1;
      options.put(option, flag ? "" : args.get(++i));
    }
    List<String> key = List.of(options.getOrDefault("-s", ""), options.getOrDefault("-a", ""));
    switch (args.get(0)) {
      case "find-generic-password" -> {
        Item item = items.get(key);
        return item == null ? notFound() : new Result(0, item.password() + "\n", "");
      }
      case "add-generic-password" -> {
        if (items.containsKey(key) && !options.containsKey("-U")) {
          return new Result(45, "", "security: SecKeychainItemCreateFromContent (<default>): The specified item"
              + " already exists in the keychain.\n");
        }
        items.put(key, new Item(options.getOrDefault("-l", key.get(0)), options.get("-G"), options.get("-w")));
        return new Result(0, "", "");
      }
      case "delete-generic-password" -> {
        return items.remove(key) == null ? notFound() : new Result(0, "keychain: \"login.keychain-db\"\n", "");
      }
      case "dump-keychain" -> {
        StringBuilder out = new StringBuilder();
        // another application's item, as a real keychain has plenty
        out.append(dump("com.apple.something", "someone", "Other app", null));
        items.forEach((k, item) -> out.append(dump(k.get(0), k.get(1), item.label(), item.generic())));
        return new Result(0, out.toString(), "");
      }
      default -> {
        return new Result(1, "", "security: unknown command " + args.get(0) + "\n");
      }
    }
  }

  private static Result notFound() {
    return new Result(44, "", "security: SecKeychainSearchCopyNext: The specified item could not be found in the"
        + " keychain.\n");
  }

  /** The real tool prints a printable blob as "text" and any other as 0xHEX  "escaped". */
  private static String blob(String value) {
    if (value == null) {
      return "<NULL>";
    }
    boolean printable = value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"');
    return printable ? "\"" + value + "\""
        : "0x" + HexFormat.of().withUpperCase().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "  \"...\"";
  }

  private static String dump(String service, String account, String label, String generic) {
    return "keychain: \"/Users/u/Library/Keychains/login.keychain-db\"\n"
        + "version: 512\n"
        + "class: \"genp\"\n"
        + "attributes:\n"
        + "    0x00000007 <blob>=" + blob(label) + "\n"
        + "    0x00000008 <blob>=<NULL>\n"
        + "    \"acct\"<blob>=" + blob(account) + "\n"
        + "    \"cdat\"<timedate>=0x32303236313132373035303030305A00  \"20261127050000Z\\000\"\n"
        + "    \"crtr\"<uint32>=<NULL>\n"
        + "    \"gena\"<blob>=" + blob(generic) + "\n"
        + "    \"svce\"<blob>=" + blob(service) + "\n"
        + "    \"type\"<uint32>=<NULL>\n";
  }

  /** Splits an interactive command line as the tool does: whitespace, with double quotes grouping. */
  private static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = null;
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        if (current == null) {
          current = new StringBuilder();
        }
      } else if (Character.isWhitespace(c) && !quoted) {
        if (current != null) {
          tokens.add(current.toString());
          current = null;
        }
      } else {
        if (current == null) {
          current = new StringBuilder();
        }
        current.append(c);
      }
    }
    if (current != null) {
      tokens.add(current.toString());
    }
    return tokens;
  }
}
