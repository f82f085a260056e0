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
    // "te: trailers" is the one TE value HTTP/2 allows, and gRPC needs it end to end
    String te = h.get(HttpHeaderNames.TE);
    h.remove(HttpHeaderNames.TE);
    if (te != null && te.trim().equalsIgnoreCase("trailers")) {
      h.set(HttpHeaderNames.TE, "trailers");
    }
    h.remove("Proxy-Connection");
    if (!keepUpgrade) {
      h.remove(HttpHeaderNames.UPGRADE);
    }
    List<String> proxyHeaders = new ArrayList<>();
    for (var e : h) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      // x-http2-*: Netty's HTTP/2 to HTTP/1 bridge notes (stream id, scheme), not the agent's headers
      if (lower.startsWith("proxy-") || lower.startsWith("x-http2-")) {
        proxyHeaders.add(e.getKey());
      }
    }
    proxyHeaders.forEach(h::remove);
  }
}
