package dev.authsome.core.internal;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ProviderState;
import dev.authsome.core.spi.Vault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Typed access to the vault's records. */
final class Store {
  private final Vault vault;

  Store(Vault vault) {
    this.vault = vault;
  }

  Vault vault() {
    return vault;
  }

  Optional<ConnectionRecord> connection(String provider, String name) {
    String key = Keys.connection(provider, name);
    return vault.get(key).map(json -> RecordCodec.readConnection(key, json));
  }

  void put(ConnectionRecord r) {
    vault.put(Keys.connection(r.provider(), r.connectionName()), RecordCodec.write(r));
  }

  boolean deleteConnection(String provider, String name) {
    return vault.delete(Keys.connection(provider, name));
  }

  /** The connection names of one provider, sorted. */
  List<String> connectionNames(String provider) {
    String prefix = Keys.connections(provider);
    List<String> names = new ArrayList<>();
    for (String key : vault.keys(prefix)) {
      names.add(key.substring(prefix.length()));
    }
    return names;
  }

  /** Every connection name of every provider: provider -> sorted names. */
  Map<String, List<String>> allConnectionNames() {
    Map<String, List<String>> out = new TreeMap<>();
    for (String key : vault.keys(Keys.ROOT)) {
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
    return vault.get(key).map(json -> RecordCodec.readClient(key, json));
  }

  void put(ClientRecord r) {
    vault.put(Keys.client(r.provider()), RecordCodec.write(r));
  }

  boolean deleteClient(String provider) {
    return vault.delete(Keys.client(provider));
  }

  /** The client with this id: the provider's default client when it has that id, else the one stored apart. */
  Optional<ClientRecord> client(String provider, String clientId) {
    Optional<ClientRecord> byDefault = client(provider).filter(c -> clientId.equals(c.clientId()));
    if (byDefault.isPresent()) {
      return byDefault;
    }
    String key = Keys.client(provider, clientId);
    return vault.get(key).map(json -> RecordCodec.readClient(key, json));
  }

  /** Stores a client apart from the provider's default (it must have an id). */
  void putApart(ClientRecord r) {
    vault.put(Keys.client(r.provider(), Objects.requireNonNull(r.clientId(), "clientId")), RecordCodec.write(r));
  }

  boolean deleteApart(String provider, String clientId) {
    return vault.delete(Keys.client(provider, clientId));
  }

  /** Deletes every client of the provider stored apart from its default; returns how many. */
  int deleteAllApart(String provider) {
    int deleted = 0;
    for (String key : vault.keys(Keys.clients(provider))) {
      if (vault.delete(key)) {
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

  Optional<ProviderState> state(String provider) {
    String key = Keys.state(provider);
    return vault.get(key).map(json -> RecordCodec.readState(key, json));
  }

  void put(ProviderState s) {
    vault.put(Keys.state(s.provider()), RecordCodec.write(s));
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
