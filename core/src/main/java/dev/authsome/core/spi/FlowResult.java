package dev.authsome.core.spi;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.ClientRecord;
import dev.authsome.core.ConnectionRecord;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a login produced: the connection and, when it changed, the provider's client record. */
public record FlowResult(ConnectionRecord connection, @Nullable ClientRecord client) {
  public FlowResult {
    requireNonNull(connection, "connection");
  }

  public Optional<ClientRecord> clientRecord() {
    return Optional.ofNullable(client);
  }
}
