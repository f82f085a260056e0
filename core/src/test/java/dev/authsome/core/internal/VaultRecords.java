package dev.authsome.core.internal;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;

/**
 * The vault keys and record encoding, for tests in other packages of core: {@link Keys} and {@link RecordCodec} are
 * package-private, so that nothing outside the engine (a plugin least of all) depends on the storage layout.
 */
public final class VaultRecords {
  private VaultRecords() {
  }

  public static String connectionKey(String provider, String connection) {
    return Keys.connection(provider, connection);
  }

  public static String clientKey(String provider) {
    return Keys.client(provider);
  }

  public static String clientKey(String provider, String clientId) {
    return Keys.client(provider, clientId);
  }

  public static String write(ConnectionRecord r) {
    return RecordCodec.write(r);
  }

  public static String write(ClientRecord r) {
    return RecordCodec.write(r);
  }

  public static ConnectionRecord readConnection(String key, String json) {
    return RecordCodec.readConnection(key, json);
  }
}
