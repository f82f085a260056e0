package dev.authsome.shell.command;

import dev.authsome.core.ConnectionSummary;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ProviderListing;
import dev.authsome.core.ProviderSource;
import dev.authsome.shell.App;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code authsome list [TEXT] [--connected]}: every provider (name, display name, auth type, where it comes from) with
 * its connections (status, account, expiry); TEXT keeps the providers whose name, display name or description
 * contains it, ignoring case.
 */
@Command(name = "list", description = "List providers and their connections.")
final class ListCommand extends Base {
  @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT",
      description = "Only providers whose name, display name or description contains TEXT (any case).")
  String filter;

  @Option(names = "--connected", description = "Only providers with a usable connection.")
  boolean connectedOnly;

  ListCommand(App app) {
    super(app);
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
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Provider", "Name", "Auth", "Source", "Connection", "Status", "Account", "Expires"});
    Instant now = Instant.now();
    for (ProviderListing p : all) {
      ProviderDefinition d = p.provider().definition();
      String source = p.provider().source().wireName();
      String auth = d.authType().wireName();
      if (p.connections().isEmpty()) {
        rows.add(new String[] {p.provider().name(), d.displayName(), auth, source, "-", "not_connected", "-", "-"});
      }
      for (ConnectionSummary c : p.connections()) {
        String account = c.account().label() != null ? c.account().label()
            : c.account().id() != null ? c.account().id() : "-";
        rows.add(new String[] {p.provider().name(), d.displayName(), auth, source,
            c.connectionName() + (c.isDefault() ? " (default)" : ""), c.status(), account,
            Render.expiry(c.expiresAt(), now)});
      }
    }
    int[] widths = new int[rows.get(0).length];
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
