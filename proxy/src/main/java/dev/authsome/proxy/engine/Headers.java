package dev.authsome.proxy.engine;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Header hygiene between the two legs (RFC 9110 section 7.6.1). */
final class Headers {
  private Headers() {
  }

  /**
   * Removes hop-by-hop headers, every {@code Proxy-*} header (the proxy credential never leaves the proxy), and the
   * headers {@code Connection} names. {@code Transfer-Encoding} stays: the codec frames the body by it. With
   * {@code keepUpgrade}, {@code Upgrade} survives for a WebSocket handshake.
   */
  static void stripHopByHop(HttpHeaders h, boolean keepUpgrade) {
    for (String named : h.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : named.split(",")) {
        String t = token.trim();
        if (!t.isEmpty() && !t.equalsIgnoreCase("upgrade") && !t.equalsIgnoreCase("transfer-encoding")) {
          h.remove(t);
        }
      }
    }
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(HttpHeaderNames.TE);
    h.remove("Proxy-Connection");
    if (!keepUpgrade) {
      h.remove(HttpHeaderNames.UPGRADE);
    }
    List<String> proxyHeaders = new ArrayList<>();
    for (var e : h) {
      if (e.getKey().toLowerCase(Locale.ROOT).startsWith("proxy-")) {
        proxyHeaders.add(e.getKey());
      }
    }
    proxyHeaders.forEach(h::remove);
  }
}
