package dev.authsome.core.internal;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ProviderState;
import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Typed access to the vault's records. */
final class Store {
  private final java.util.function.Supplier<Vault> writes;
  private final java.util.function.Supplier<Vault> reads;
  private final Runnable stillConfigured;

  Store(Vault vault) {
    this(() -> vault, () -> vault, () -> { });
  }

  /**
   * {@code writes} opens (or creates) the vault; {@code reads} may be an empty view while no vault exists yet, so
   * that read-only commands on a fresh home create nothing. {@code stillConfigured} throws when the vault is no
   * longer the configured one ({@code vault migrate} switched away from it while this process ran); every write
   * checks it under the migration lock.
   */
  Store(java.util.function.Supplier<Vault> writes, java.util.function.Supplier<Vault> reads,
      Runnable stillConfigured) {
    this.writes = writes;
    this.reads = reads;
    this.stillConfigured = stillConfigured;
  }

  /**
   * Runs one write under {@link VaultAdmin#MIGRATION_LOCK}, which {@code vault migrate} holds from its snapshot to
   * the switch of {@code config.yaml}: a write lands either before the snapshot (and is copied) or after the switch,
   * where it is refused rather than written into the vault left behind (a lost rotated refresh token would get the
   * whole grant revoked by servers with reuse detection).
   */
  private <T> T write(java.util.function.Supplier<T> action) {
    try (VaultLock lock = vault().lock(VaultAdmin.MIGRATION_LOCK)) {
      stillConfigured.run();
      return action.get();
    }
  }

  /** Deleting what is not there writes nothing, so it takes no lock (and works on a read-only home). */
  private boolean delete(String key) {
    return reads.get().keys(key).contains(key) && write(() -> vault().delete(key));
  }

  private void write(Runnable action) {
    write(() -> {
      action.run();
      return null;
    });
  }

  Vault vault() {
    return writes.get();
  }

  /** The vault's {@link Vault#snapshotRevision()} (empty while no vault exists). */
  Optional<Object> snapshotRevision() {
    return reads.get().snapshotRevision();
  }

  /** The vault's one-line description (which vault a cache belongs to). */
  String describeVault() {
    return reads.get().describe();
  }

  Optional<ConnectionRecord> connection(String provider, String name) {
    String key = Keys.connection(provider, name);
    return reads.get().get(key).map(json -> RecordCodec.readConnection(key, json));
  }

  void put(ConnectionRecord r) {
    write(() -> vault().put(Keys.connection(r.provider(), r.connectionName()), RecordCodec.write(r)));
  }

  /**
   * The lock every writer of one connection holds (login, logout, revoke, remove, refresh, marking it expired, client
   * pinning): a read-modify-write of the record under it sees every other writer's result. The name predates the
   * other writers and stays, so processes of different versions still exclude each other.
   */
  VaultLock lockConnection(String provider, String name) {
    return vault().lock("refresh:" + Keys.connection(provider, name));
  }

  /** The stored record with its vault version, for {@link #replace}. */
  Optional<Versioned> connectionVersioned(String provider, String name) {
    String key = Keys.connection(provider, name);
    return reads.get().getVersioned(key)
        .map(v -> new Versioned(RecordCodec.readConnection(key, v.value()), v.version()));
  }

  /**
   * Writes {@code r} only over the version that was read ({@link #connectionVersioned}); false when another writer
   * replaced or deleted the record since, which then stays as that writer left it.
   */
  boolean replace(Versioned read, ConnectionRecord r) {
    return write(() -> vault().compareAndPut(Keys.connection(r.provider(), r.connectionName()), read.version(),
        RecordCodec.write(r)));
  }

  /** A connection record and the vault version it was read at. */
  record Versioned(ConnectionRecord record, long version) {
  }

  boolean deleteConnection(String provider, String name) {
    return delete(Keys.connection(provider, name));
  }

  /** The connection names of one provider, sorted. */
  List<String> connectionNames(String provider) {
    String prefix = Keys.connections(provider);
    List<String> names = new ArrayList<>();
    for (String key : reads.get().keys(prefix)) {
      names.add(key.substring(prefix.length()));
    }
    return names;
  }

  /** Every connection name of every provider: provider -> sorted names. */
  Map<String, List<String>> allConnectionNames() {
    Map<String, List<String>> out = new TreeMap<>();
    for (String key : reads.get().keys(Keys.ROOT)) {
      String rest = key.substring(Keys.ROOT.length());
      int at = rest.indexOf(":connection:");
      if (at > 0) {
        out.computeIfAbsent(rest.substring(0, at), k -> new ArrayList<>())
            .add(rest.substring(at + ":connection:".length()));
      }
    }
    return out;
  }

  Optional<ClientRecord> client(String provider) {
    String key = Keys.client(provider);
    return reads.get().get(key).map(json -> RecordCodec.readClient(key, json));
  }

  void put(ClientRecord r) {
    write(() -> vault().put(Keys.client(r.provider()), RecordCodec.write(r)));
  }

  boolean deleteClient(String provider) {
    return delete(Keys.client(provider));
  }

  /** The client with this id: the provider's default client when it has that id, else the one stored apart. */
  Optional<ClientRecord> client(String provider, String clientId) {
    Optional<ClientRecord> byDefault = client(provider).filter(c -> clientId.equals(c.clientId()));
    if (byDefault.isPresent()) {
      return byDefault;
    }
    String key = Keys.client(provider, clientId);
    return reads.get().get(key).map(json -> RecordCodec.readClient(key, json));
  }

  /** Stores a client apart from the provider's default (it must have an id). */
  void putApart(ClientRecord r) {
    write(() -> vault().put(Keys.client(r.provider(), Objects.requireNonNull(r.clientId(), "clientId")),
        RecordCodec.write(r)));
  }

  boolean deleteApart(String provider, String clientId) {
    return delete(Keys.client(provider, clientId));
  }

  /** Deletes every client of the provider stored apart from its default; returns how many. */
  int deleteAllApart(String provider) {
    int deleted = 0;
    for (String key : reads.get().keys(Keys.clients(provider))) {
      if (delete(key)) {
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * The client the connection's tokens were issued to, which refreshes and revokes them. A record from before schema
   * 3 names none and uses the provider's default client, as it always did. A named client stored nowhere (a public
   * client authenticates by its id alone) is a record holding only the id.
   */
  Optional<ClientRecord> clientOf(ConnectionRecord r) {
    if (r.clientId() == null) {
      return client(r.provider());
    }
    return client(r.provider(), r.clientId()).or(() -> Optional.of(new ClientRecord(RecordCodec.CLIENT_SCHEMA_VERSION,
        r.provider(), r.profile(), r.clientId(), null, r.baseUrl(), List.of(), "connection", null, null, Map.of())));
  }

  /** Stores a record the engine keeps as plain text (the persistent proxy CA). */
  void putRaw(String key, String value) {
    write(() -> vault().put(key, value));
  }

  Optional<ProviderState> state(String provider) {
    String key = Keys.state(provider);
    return reads.get().get(key).map(json -> RecordCodec.readState(key, json));
  }

  void put(ProviderState s) {
    write(() -> vault().put(Keys.state(s.provider()), RecordCodec.write(s)));
  }

  /** The provider's default connection name ({@code default} until {@code connection set-default}). */
  String defaultConnection(String provider) {
    return state(provider).map(ProviderState::defaultConnection).orElse("default");
  }

  ProviderState stateOrNew(String provider) {
    return state(provider).orElseGet(() -> new ProviderState(RecordCodec.STATE_SCHEMA_VERSION, provider,
        Keys.PROFILE, "default", null, null, Map.of()));
  }
}
