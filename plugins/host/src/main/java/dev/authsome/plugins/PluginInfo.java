package dev.authsome.plugins;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.ProviderSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One healthy plugin jar as the index knows it, without loading it.
 *
 * @param id the manifest's {@code Plugin-Id}
 * @param source {@link ProviderSource#PLUGIN} for a jar in the home, {@link ProviderSource#BUNDLED} for a shipped one
 * @param flows the flow ids it declares ({@code Authsome-Flows})
 * @param provider the provider name of its {@code provider.yaml}, if it has one
 * @param extensions whether it lists extension classes ({@code META-INF/extensions.idx})
 */
public record PluginInfo(String id, ProviderSource source, Path jar, List<String> flows, @Nullable String provider,
    boolean extensions) {

  public PluginInfo {
    requireNonNull(id, "id");
    requireNonNull(source, "source");
    requireNonNull(jar, "jar");
    flows = List.copyOf(flows);
  }

  public Optional<String> providerName() {
    return Optional.ofNullable(provider);
  }
}
