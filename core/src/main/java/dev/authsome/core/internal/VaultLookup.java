package dev.authsome.core.internal;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.spi.VaultProvider;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds a vault backend by id with {@link ServiceLoader}. */
public final class VaultLookup {
  private VaultLookup() {
  }

  public static VaultProvider find(String id) {
    TreeSet<String> available = new TreeSet<>();
    for (VaultProvider p : ServiceLoader.load(VaultProvider.class, VaultLookup.class.getClassLoader())) {
      if (p.id().equals(id)) {
        return p;
      }
      available.add(p.id());
    }
    throw AuthsomeException.usage("Unknown vault backend '" + id + "'; available: "
        + (available.isEmpty() ? "none installed" : String.join(", ", available))
        + ". Set it with --vault, AUTHSOME_VAULT or vault.backend in config.yaml.");
  }
}
