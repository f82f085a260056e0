package dev.authsome.core.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Base URLs compared and stored in one spelling (templating itself is {@code ProviderDefinitions.resolve}). */
final class BaseUrls {
  private BaseUrls() {
  }

  /** Lower-cases scheme and host, drops a trailing slash, so equal bases compare equal. */
  static @Nullable String normalise(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    int scheme = u.indexOf("://");
    if (scheme > 0) {
      int hostEnd = u.indexOf('/', scheme + 3);
      hostEnd = hostEnd < 0 ? u.length() : hostEnd;
      u = u.substring(0, hostEnd).toLowerCase(Locale.ROOT) + u.substring(hostEnd);
    }
    return u;
  }
}
