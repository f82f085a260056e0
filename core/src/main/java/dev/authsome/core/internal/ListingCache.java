package dev.authsome.core.internal;

import dev.authsome.core.ConnectionRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@code list} shows of every connection, kept in {@code cache/listing.json} under the vault's
 * {@link dev.authsome.core.spi.Vault#snapshotRevision() snapshot revision}: with 10,000 connections, reading and
 * decrypting every record took most of a second, and reading this file takes a tenth of that. It is used only while
 * the vault is at the revision it was made at, so any write (by any process) makes the next listing read the records
 * again; backends that cannot promise such a revision never use it.
 *
 * <p>It holds the records without their secrets (access, refresh and ID tokens, API keys) and without metadata: the
 * fields {@code list --json} prints without {@code --show-secret}, in a file of mode 0600 like every file of the home.
 * A missing, damaged or foreign file is simply not used. One listed record is decrypted each time (a wrong key
 * fails as before); a record damaged behind authsome's back (a disk error, no write) shows when it is read: {@code
 * get}, or the first listing after the next write.
 */
final class ListingCache {
  static final int FORMAT = 1;
  /** Below this many connections the records are read directly: the file would save nothing. */
  static final int MIN_CONNECTIONS = 100;

  private ListingCache() {
  }

  /** Every connection (without secrets) by provider, and each provider's default connection. */
  record Connections(Map<String, List<ConnectionRecord>> byProvider, Map<String, String> defaults) {
  }

  /** The connections as of now: from the file when it was made at the vault's current revision, else read. */
  static Connections read(Context ctx, java.util.function.Supplier<Connections> fromRecords) {
    Store store = ctx.store();
    Optional<Object> before = store.snapshotRevision();
    Path file = ctx.home.cacheDir().resolve("listing.json");
    String vault = store.describeVault();
    if (before.isPresent()) {
      Connections cached = load(file, vault, String.valueOf(before.get()));
      if (cached != null && opensOne(store, cached)) {
        return cached;
      }
    }
    Connections read = fromRecords.get();
    int count = read.byProvider().values().stream().mapToInt(List::size).sum();
    if (before.isPresent() && count >= MIN_CONNECTIONS && before.equals(store.snapshotRevision())) {
      save(ctx, file, vault, String.valueOf(before.get()), read);
    }
    return read;
  }

  /**
   * Whether one listed record still opens: the file is plaintext, so without this a wrong master key (another key
   * file, a changed {@code AUTHSOME_MASTER_KEY}) would list as if nothing were wrong, where reading the records fails
   * with the vault error that says which key is wrong (thrown from here likewise).
   */
  private static boolean opensOne(Store store, Connections cached) {
    for (Map.Entry<String, List<ConnectionRecord>> provider : cached.byProvider().entrySet()) {
      if (!provider.getValue().isEmpty()) {
        return store.connection(provider.getKey(), provider.getValue().get(0).connectionName()).isPresent();
      }
    }
    return true;
  }

  /** {@code r} without what the listing never shows. */
  static ConnectionRecord withoutSecrets(ConnectionRecord r) {
    return new ConnectionRecord(r.schemaVersion(), r.provider(), r.profile(), r.connectionName(), r.authType(),
        r.flow(), r.status(), r.baseUrl(), r.apiUrls(), r.scopes(), null, null, null, r.tokenType(), r.expiresAt(),
        r.obtainedAt(), null, r.account(), Map.of(), r.clientId());
  }

  private static @Nullable Connections load(Path file, String vault, String revision) {
    Object document;
    try {
      document = Json.parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // rebuilt by this listing
    }
    if (!(document instanceof Map<?, ?> d) || !Integer.valueOf(FORMAT).equals(number(d.get("format")))
        || !vault.equals(d.get("vault")) || !revision.equals(d.get("revision"))
        || !(d.get("defaults") instanceof Map<?, ?> defaults) || !(d.get("connections") instanceof List<?> list)) {
      return null;
    }
    try {
      Map<String, List<ConnectionRecord>> byProvider = new TreeMap<>();
      for (Object entry : list) {
        if (!(entry instanceof Map<?, ?> m)) {
          return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) m;
        ConnectionRecord r = RecordCodec.readConnection("cache/listing.json", fields);
        byProvider.computeIfAbsent(r.provider(), p -> new ArrayList<>()).add(r);
      }
      Map<String, String> defaultNames = new TreeMap<>();
      defaults.forEach((p, name) -> defaultNames.put(String.valueOf(p), String.valueOf(name)));
      return new Connections(byProvider, defaultNames);
    } catch (RuntimeException damaged) {
      return null;
    }
  }

  private static void save(Context ctx, Path file, String vault, String revision, Connections connections) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("format", FORMAT);
    document.put("vault", vault);
    document.put("revision", revision);
    document.put("defaults", connections.defaults());
    List<Object> records = new ArrayList<>();
    // without the fields that are empty for most connections (the secrets this file never holds among them): half
    // the text to parse on every listing
    connections.byProvider().values().forEach(list -> list.forEach(r -> {
      Map<String, Object> fields = RecordCodec.toMap(r);
      if (fields.get("account") instanceof Map<?, ?> account) {
        account.values().removeIf(java.util.Objects::isNull);
      }
      fields.values().removeIf(v -> v == null || v instanceof Map<?, ?> m && m.isEmpty()
          || v instanceof List<?> l && l.isEmpty());
      records.add(fields);
    }));
    document.put("connections", records);
    try {
      ctx.home.writeAtomically(file, Json.write(document));
    } catch (RuntimeException e) {
      // a read-only home lists from the records every time
    }
  }

  private static @Nullable Integer number(@Nullable Object value) {
    return value instanceof Number n ? n.intValue() : null;
  }
}
