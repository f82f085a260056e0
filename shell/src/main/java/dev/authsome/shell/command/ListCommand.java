package dev.authsome.shell.command;

import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ProviderListing;
import dev.authsome.core.ProviderSource;
import dev.authsome.shell.App;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code authsome list}: every provider and its connections. */
@Command(name = "list", description = "List providers and their connections.")
final class ListCommand extends Base {
  ListCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    List<ProviderListing> all = engine().list();
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
      out().info("No providers configured.");
      return 0;
    }
    long connected = all.stream().filter(ProviderListing::connected).count();
    out().info("Providers: " + all.size() + " total, " + connected + " connected");
    out().info("");
    Table table = new Table(List.of("Provider", "Source", "Auth", "Connection", "Status", "Account", "Expires"),
        true, false, false, true, false, true, false);
    Instant now = Instant.now();
    for (ProviderListing p : all) {
      String name = p.provider().definition().displayName() + " [" + p.provider().name() + "]";
      String source = p.provider().source().wireName();
      String auth = p.provider().definition().authType().wireName();
      if (p.connections().isEmpty()) {
        table.row().cell(name).cell(source).cell(auth).cell("-").cell("not_connected", Table.FAINT).cell("-")
            .cell("-");
      }
      for (ConnectionSummary c : p.connections()) {
        table.row().cell(name).cell(source).cell(auth)
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
}
