package dev.authsome.core.internal;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.Settings;
import dev.authsome.core.spi.FlowRegistry;
import dev.authsome.core.spi.InputCollector;
import dev.authsome.core.spi.ProviderCatalogue;
import dev.authsome.core.spi.Vault;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the engine's operations share for one run. The vault, catalogue and flow registry are opened on first
 * use only: {@code get X --field status} never touches the plugin host.
 */
public final class Context implements AutoCloseable {
  final Home home;
  final Settings settings;
  final Map<String, String> environment;
  final Clock clock;
  final InputCollector input;
  final PrintWriter progress;
  final Consumer<String> warnings;
  final AuditLog audit;
  final Supplier<List<String>> diagnostics;
  private final Lazy<Vault> vault;
  private final boolean ownsVault;
  private final Lazy<ProviderCatalogue> catalogue;
  private final Lazy<FlowRegistry> flows;
  private Store store;

  /** The parts a {@link Context} is built from; see {@code Authsome.Builder}. */
  public record Parts(Home home, Settings settings, Map<String, String> environment, Clock clock,
      Supplier<Vault> vault, boolean ownsVault, Supplier<ProviderCatalogue> catalogue, Supplier<FlowRegistry> flows,
      InputCollector input, PrintWriter progress, Consumer<String> warnings, Supplier<List<String>> diagnostics) {
  }

  public Context(Parts p) {
    this.home = requireNonNull(p.home());
    this.settings = requireNonNull(p.settings());
    this.environment = Map.copyOf(p.environment());
    this.clock = requireNonNull(p.clock());
    this.vault = new Lazy<>(p.vault());
    this.ownsVault = p.ownsVault();
    this.catalogue = new Lazy<>(p.catalogue());
    this.flows = new Lazy<>(p.flows());
    this.input = requireNonNull(p.input());
    this.progress = requireNonNull(p.progress());
    this.warnings = requireNonNull(p.warnings());
    this.diagnostics = requireNonNull(p.diagnostics());
    this.audit = new AuditLog(home, clock, warnings);
  }

  public Home home() {
    return home;
  }

  public Settings settings() {
    return settings;
  }

  Vault vault() {
    return vault.get();
  }

  synchronized Store store() {
    if (store == null) {
      store = new Store(vault(), this::checkStillConfigured);
    }
    return store;
  }

  /**
   * Throws when {@code config.yaml} no longer names the backend this process opened: {@code vault migrate} switched
   * it while this process ran. A backend chosen by flag or environment, or handed in, is this process's own choice
   * and stands.
   */
  private void checkStillConfigured() {
    String origin = settings.origins().getOrDefault(Settings.VAULT_BACKEND, "default");
    if (!ownsVault || !origin.equals("config.yaml") && !origin.equals("default")) {
      return; // a vault handed in by the embedder, or chosen by flag or environment
    }
    String configured = Settings.resolve(Map.of(), Map.of(), ConfigFile.read(home.configFile())).vaultBackend();
    if (!configured.equals(settings.vaultBackend())) {
      throw dev.authsome.core.AuthsomeException.vault("the vault moved from '" + settings.vaultBackend() + "' to '"
          + configured + "' ('authsome vault migrate') while this command ran, so nothing was written to the old"
          + " one; run the command again");
    }
  }

  ProviderCatalogue catalogue() {
    return catalogue.get();
  }

  FlowRegistry flows() {
    return flows.get();
  }

  void warn(String message) {
    warnings.accept(message);
  }

  @Override
  public void close() {
    Vault opened = vault.ifPresent();
    if (opened != null && ownsVault) {
      opened.close();
    }
  }
}
