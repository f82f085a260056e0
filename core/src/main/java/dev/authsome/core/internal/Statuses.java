package dev.authsome.core.internal;

import dev.authsome.core.AuthType;
import dev.authsome.core.ConnectionRecord;
import dev.authsome.core.ConnectionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Expiry arithmetic: the refresh margin and the effective status shown to users. */
final class Statuses {
  static final Duration MAX_MARGIN = Duration.ofSeconds(300);

  private Statuses() {
  }

  /** The configured margin, else min(300 s, half the token's lifetime). */
  static Duration margin(ConnectionRecord r, Optional<Duration> configured) {
    if (configured.isPresent()) {
      return configured.get();
    }
    if (r.expiresAt() != null && r.obtainedAt() != null) {
      Duration half = Duration.between(r.obtainedAt(), r.expiresAt()).dividedBy(2);
      if (!half.isNegative() && half.compareTo(MAX_MARGIN) < 0) {
        return half;
      }
    }
    return MAX_MARGIN;
  }

  /** Whether an OAuth record's access token should be refreshed before use. */
  static boolean needsRefresh(ConnectionRecord r, Instant now, Optional<Duration> configured) {
    if (r.authType() != AuthType.OAUTH2 || r.expiresAt() == null) {
      return false;
    }
    return !now.isBefore(r.expiresAt().minus(margin(r, configured)));
  }

  /** connected / expiring / expired / the stored status. */
  static String effective(ConnectionRecord r, Instant now, Optional<Duration> configured) {
    if (r.status() != ConnectionStatus.CONNECTED || r.expiresAt() == null) {
      return r.status().wireName();
    }
    if (!now.isBefore(r.expiresAt())) {
      return ConnectionStatus.EXPIRED.wireName();
    }
    return needsRefresh(r, now, configured) ? "expiring" : ConnectionStatus.CONNECTED.wireName();
  }
}
