package dev.authsome.vault.keychain;

import dev.authsome.core.Authsome;
import java.nio.file.Path;

/** A separate process that runs {@code vault migrate}: {@code MigrateChildMain HOME TARGET}. */
public final class MigrateChildMain {
  private MigrateChildMain() {}

  public static void main(String[] args) {
    try (Authsome engine = Authsome.builder().home(Path.of(args[0])).build()) {
      engine.migrateVault(args[1]);
    }
  }
}
