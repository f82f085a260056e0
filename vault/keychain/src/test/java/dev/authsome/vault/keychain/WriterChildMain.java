package dev.authsome.vault.keychain;

import dev.authsome.core.Authsome;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.Secret;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A separate process that keeps writing through the engine while another migrates the vault:
 * {@code WriterChildMain HOME STOPFILE}. Prints {@code ok N} once write N returned, {@code refused N: why} when the
 * engine refused it, and stops at the first refusal or when STOPFILE exists.
 */
public final class WriterChildMain {
  private WriterChildMain() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path stop = Path.of(args[1]);
    try (Authsome engine = Authsome.builder().home(Path.of(args[0])).build()) {
      for (int i = 0; !Files.exists(stop); i++) {
        try {
          engine.storeProxyCa(Secret.of("ca-" + i));
        } catch (AuthsomeException e) {
          out.println("refused " + i + ": " + e.getMessage());
          return;
        }
        out.println("ok " + i);
      }
    }
  }
}
