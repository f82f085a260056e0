package dev.authsome.core.spi;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a backend needs to open a vault.
 *
 * @param home the authsome home ({@code $AUTHSOME_HOME})
 * @param environment the process environment (for {@code AUTHSOME_MASTER_KEY} and the like); tests pass their own
 * @param settings the {@code vault.*} settings of {@code config.yaml}, flattened ({@code master_key -> file})
 */
public record VaultContext(Path home, Map<String, String> environment, Map<String, String> settings) {

  public VaultContext {
    requireNonNull(home, "home");
    environment = Map.copyOf(environment);
    settings = Map.copyOf(settings);
  }

  public Optional<String> env(String name) {
    return Optional.ofNullable(environment.get(name));
  }

  public Optional<String> setting(String name) {
    return Optional.ofNullable(settings.get(name));
  }
}
