package dev.authsome.core;

/** The state of a connection record, as stored and shown ({@code connected}, {@code expired}, ...). */
public enum ConnectionStatus {
  NOT_CONNECTED("not_connected"),
  CONNECTED("connected"),
  EXPIRED("expired"),
  REVOKED("revoked"),
  INVALID("invalid");

  private final String wireName;

  ConnectionStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static ConnectionStatus fromWireName(String name) {
    for (ConnectionStatus status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown connection status '" + name + "'");
  }
}
