package dev.authsome.vault.file;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A separate authsome-like process for {@link FileVaultProcessTest}: opens the file vault of a home, prints
 * {@code ready}, waits for a line on stdin, then acts.
 *
 * <ul>
 *   <li>{@code write HOME PREFIX COUNT}: puts COUNT records {@code PREFIX<i>} one by one.
 *   <li>{@code lock HOME NAME}: takes {@code lock(NAME)}, prints {@code locked}, waits for another line, releases.
 * </ul>
 */
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
public final class VaultChildMain {

  private VaultChildMain() {
  }

  public static void main(String[] args) throws Exception {
    var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Path home = Path.of(args[1]);
    try (Vault vault = new FileVaultProvider().open(new VaultContext(home, System.getenv(), Map.of()))) {
      System.out.println("ready");
      System.out.flush();
      stdin.readLine();
      switch (args[0]) {
        case "write" -> {
          int count = Integer.parseInt(args[3]);
          for (int i = 0; i < count; i++) {
            vault.put(args[2] + i, "{\"api_key\":\"" + args[2] + i + "\"}");
          }
        }
        case "lock" -> {
          try (VaultLock lock = vault.lock(args[2])) {
            System.out.println("locked");
            System.out.flush();
            stdin.readLine();
          }
        }
        default -> throw new IllegalArgumentException("unknown action " + args[0]);
      }
    }
    System.out.println("done");
  }
}
