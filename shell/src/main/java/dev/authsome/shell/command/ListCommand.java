package dev.authsome.shell.command;

import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderListing;
import dev.authsome.core.ProviderSource;
import dev.authsome.shell.App;
import dev.authsome.shell.GlobalOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code authsome list [TEXT] [--connected]}: every provider (name, display name, auth type, where it comes from) with
 * its connections (status, account, expiry); TEXT keeps the providers whose name, display name or description
 * contains it, ignoring case.
 */
final class ListCommand extends Base implements CodeModel.Declared {
  String filter;
  boolean connectedOnly;

  ListCommand(App app) {
    super(app);
  }

  @Override
  public CommandSpec model(GlobalOptions globals) {
    CommandSpec spec = CodeModel.command(this, globals, "list", "List providers and their connections.");
    spec.addPositional(CodeModel.positional("0", "0..1", "TEXT",
        "Only providers whose name, display name or description contains TEXT (any case).", String.class,
        () -> filter, v -> filter = v));
    spec.addOption(CodeModel.flag("--connected", "Only providers with a usable connection.", () -> connectedOnly,
        v -> connectedOnly = v));
    return spec;
  }

  @Override
  public Integer call() {
    List<ProviderListing> all = new ArrayList<>();
    for (ProviderListing p : engine().list()) {
      if ((!connectedOnly || p.connected()) && matches(p.provider().definition())) {
        all.add(p);
      }
    }
    if (json()) {
      List<Object> bundled = new ArrayList<>();
      List<Object> custom = new ArrayList<>();
      for (ProviderListing p : all) {
        (p.provider().source() == ProviderSource.BUNDLED ? bundled : custom).add(Render.provider(p));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bundled", bundled);
      m.put("custom", custom);
      out().json(m);
      return 0;
    }
    if (all.isEmpty()) {
      out().info(filter == null && !connectedOnly ? "No providers configured."
          : "No provider matches" + (filter == null ? "" : " '" + filter + "'")
          + (connectedOnly ? " with a usable connection" : "") + ".");
      return 0;
    }
    long connected = all.stream().filter(ProviderListing::connected).count();
    out().info("Providers: " + all.size() + " total, " + connected + " connected");
    out().info("");
    Table table = new Table(List.of("Provider", "Name", "Auth", "Source", "Connection", "Status", "Account",
        "Expires"), false, true, false, false, true, false, true, false);
    Instant now = Instant.now();
    for (ProviderListing p : all) {
      ProviderDefinition d = p.provider().definition();
      String source = p.provider().source().wireName();
      String auth = d.authType().wireName();
      if (p.connections().isEmpty()) {
        table.row().cell(p.provider().name()).cell(d.displayName()).cell(auth).cell(source).cell("-")
            .cell("not_connected", Table.FAINT).cell("-").cell("-");
      }
      for (ConnectionSummary c : p.connections()) {
        table.row().cell(p.provider().name()).cell(d.displayName()).cell(auth).cell(source)
            .cell(c.connectionName() + (c.isDefault() ? " (default)" : ""))
            .cell(c.status(), statusColour(c.status())).cell(account(c)).cell(Render.expiry(c.expiresAt(), now));
      }
    }
    table.render(out().colour(), out().width()).forEach(out()::info);
    return 0;
  }

  /** Green when usable, yellow when about to expire, red when it no longer works. */
  static String statusColour(String status) {
    return switch (status) {
      case "connected" -> Table.GREEN;
      case "expiring" -> Table.YELLOW;
      case "expired", "revoked", "invalid" -> Table.RED;
      default -> Table.FAINT;
    };
  }

  private static String account(ConnectionSummary c) {
    if (c.account().label() != null) {
      return c.account().label();
    }
    return c.account().id() != null ? c.account().id() : "-";
  }

  private boolean matches(ProviderDefinition d) {
    if (filter == null || filter.isBlank()) {
      return true;
    }
    String needle = filter.trim().toLowerCase(Locale.ROOT);
    return d.name().toLowerCase(Locale.ROOT).contains(needle)
        || d.displayName().toLowerCase(Locale.ROOT).contains(needle)
        || d.description() != null && d.description().toLowerCase(Locale.ROOT).contains(needle);
  }
}
