package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * The local context, for {@code whoami}.
 *
 * @param vault the vault backend's description, e.g. {@code file (/home/u/.authsome/vault)}
 * @param connectedProviders providers with at least one usable connection, sorted
 */
public record Whoami(Path home, String profile, String version, String vaultBackend, String vault,
    List<String> connectedProviders) {
  public Whoami {
    requireNonNull(home, "home");
    requireNonNull(profile, "profile");
    requireNonNull(version, "version");
    requireNonNull(vaultBackend, "vaultBackend");
    requireNonNull(vault, "vault");
    connectedProviders = List.copyOf(connectedProviders);
  }
}
