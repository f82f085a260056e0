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
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Provider", "Source", "Auth", "Connection", "Status", "Expires"});
    Instant now = Instant.now();
    for (ProviderListing p : all) {
      String name = p.provider().definition().displayName() + " [" + p.provider().name() + "]";
      String source = p.provider().source().wireName();
      String auth = p.provider().definition().authType().wireName();
      if (p.connections().isEmpty()) {
        rows.add(new String[] {name, source, auth, "-", "not_connected", "-"});
      }
      for (ConnectionSummary c : p.connections()) {
        rows.add(new String[] {name, source, auth, c.connectionName() + (c.isDefault() ? " (default)" : ""),
            c.status(), Render.expiry(c.expiresAt(), now)});
      }
    }
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out().info(line.toString().stripTrailing());
    }
    return 0;
  }
}
