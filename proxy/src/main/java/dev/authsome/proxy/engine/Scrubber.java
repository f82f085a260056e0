package dev.authsome.proxy.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Echo scrubbing: replaces every occurrence of an injected secret in a response with the placeholder, so an
 * upstream that echoes the request (a debugging endpoint, an error page quoting the header) cannot hand the agent
 * the real credential. The replacement is the placeholder padded with {@code *} (or cut) to the secret's length, so
 * a body keeps its {@code Content-Length} and can be scrubbed while it streams: only the last
 * {@code longest secret - 1} bytes of a piece are held back, in case a secret straddles two pieces.
 */
final class Scrubber {
  private final byte[][] needles;
  private final byte[][] replacements;
  private final int holdBack;
  private byte[] carry = new byte[0];
  private boolean hit;

  Scrubber(List<String> secrets, String placeholder) {
    List<byte[]> n = new ArrayList<>();
    for (String s : secrets) {
      if (s.length() >= 8) { // shorter values would match innocent text; no real credential is that short
        n.add(s.getBytes(StandardCharsets.UTF_8));
      }
    }
    n.sort((a, b) -> b.length - a.length);
    this.needles = n.toArray(new byte[0][]);
    this.replacements = new byte[needles.length][];
    byte[] p = placeholder.getBytes(StandardCharsets.UTF_8);
    int longest = 0;
    for (int i = 0; i < needles.length; i++) {
      byte[] r = new byte[needles[i].length];
      Arrays.fill(r, (byte) '*');
      System.arraycopy(p, 0, r, 0, Math.min(p.length, r.length));
      replacements[i] = r;
      longest = Math.max(longest, needles[i].length);
    }
    this.holdBack = Math.max(0, longest - 1);
  }

  boolean active() {
    return needles.length > 0;
  }

  /** Whether any secret was replaced so far. */
  boolean replacedAny() {
    return hit;
  }

  /** A header value with secrets replaced. */
  String scrub(String value) {
    if (!active()) {
      return value;
    }
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    if (replaceAll(b, b.length)) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return value;
  }

  /**
   * Scrubs the next piece of a body; returns what may be sent now (the caller releases {@code piece}). With
   * {@code last}, everything held back is returned too.
   */
  ByteBuf next(ByteBuf piece, boolean last, ByteBufAllocator alloc) {
    int n = piece.readableBytes();
    byte[] all = new byte[carry.length + n];
    System.arraycopy(carry, 0, all, 0, carry.length);
    piece.getBytes(piece.readerIndex(), all, carry.length, n);
    replaceAll(all, all.length);
    int emit = last ? all.length : Math.max(0, all.length - holdBack);
    carry = Arrays.copyOfRange(all, emit, all.length);
    ByteBuf out = alloc.buffer(emit);
    out.writeBytes(all, 0, emit);
    return out;
  }

  /** Scrubs a whole body held in memory (a decoded gzip body). */
  byte[] scrubAll(byte[] body) {
    replaceAll(body, body.length);
    return body;
  }

  private boolean replaceAll(byte[] buf, int len) {
    boolean any = false;
    for (int i = 0; i < len; i++) {
      for (int k = 0; k < needles.length; k++) {
        byte[] nd = needles[k];
        if (buf[i] == nd[0] && i + nd.length <= len && regionMatches(buf, i, nd)) {
          System.arraycopy(replacements[k], 0, buf, i, nd.length);
          i += nd.length - 1;
          any = true;
          break;
        }
      }
    }
    hit |= any;
    return any;
  }

  private static boolean regionMatches(byte[] buf, int at, byte[] needle) {
    for (int j = 1; j < needle.length; j++) {
      if (buf[at + j] != needle[j]) {
        return false;
      }
    }
    return true;
  }
}
