package dev.authsome.proxy.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately badly behaved HTTP/2 agent: frames are written by hand (Netty's HPACK coder only encodes the
 * header blocks) so it can do what every real client library refuses to do: open more streams than the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS allows, without waiting, with or without acknowledging those settings, and send
 * header lists over the advertised size. It goes through the proxy as an agent does (CONNECT with the proxy
 * credential, then TLS with ALPN {@code h2}) and records what the proxy answered per stream.
 */
final class RawH2Agent implements AutoCloseable {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int CONTINUATION = 9;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 3;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 6;
  static final int REFUSED_STREAM = 7;
  private static final int MAX_FRAME = 16384;

  /** What the proxy answered: a response status or a reset, per stream; its settings; a GOAWAY if any. */
  final Map<Integer, String> statuses = new ConcurrentHashMap<>();
  final Map<Integer, Integer> resets = new ConcurrentHashMap<>();
  final Map<Integer, Long> serverSettings = new ConcurrentHashMap<>();
  volatile int goAwayError = -1;
  volatile boolean closedByPeer;

  private final SSLSocket tls;
  private final OutputStream out;
  private final boolean ackSettings;
  private final Thread reader;
  private final CountDownLatch settingsSeen = new CountDownLatch(1);
  private final Http2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE,
      true);
  private final String authority;

  RawH2Agent(ProxyEngine proxy, SSLContext trust, String host, boolean ackSettings) throws IOException {
    this.authority = host;
    this.ackSettings = ackSettings;
    Socket raw = new Socket("127.0.0.1", proxy.address().getPort());
    raw.setTcpNoDelay(true);
    String auth = java.util.Base64.getEncoder().encodeToString(("authsome:" + proxy.credential())
        .getBytes(StandardCharsets.UTF_8));
    raw.getOutputStream().write(("CONNECT " + host + ":443 HTTP/1.1\r\nHost: " + host + ":443\r\n"
        + "Proxy-Authorization: Basic " + auth + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    String head = readHead(raw.getInputStream());
    if (!head.startsWith("HTTP/1.1 200")) {
      raw.close();
      throw new IOException("CONNECT refused: " + head);
    }
    tls = (SSLSocket) trust.getSocketFactory().createSocket(raw, host, 443, true);
    SSLParameters p = tls.getSSLParameters();
    p.setApplicationProtocols(new String[] {"h2"});
    tls.setSSLParameters(p);
    tls.startHandshake();
    if (!"h2".equals(tls.getApplicationProtocol())) {
      throw new IOException("the proxy did not choose h2 but '" + tls.getApplicationProtocol() + "'");
    }
    out = tls.getOutputStream();
    synchronized (out) {
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      writeFrame(SETTINGS, 0, 0, new byte[0]);
      out.flush();
    }
    reader = new Thread(this::readLoop, "raw-h2-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for the proxy's first SETTINGS frame (not acknowledged unless this agent was made to). */
  void awaitSettings() throws InterruptedException {
    if (!settingsSeen.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("no SETTINGS from the proxy");
    }
  }

  /** A request's header block (split into CONTINUATION frames when large), buffered until {@link #flush()}. */
  void request(int stream, String method, String path, boolean endStream, Map<String, String> extra)
      throws IOException {
    Http2Headers h = new DefaultHttp2Headers().method(method).scheme("https").authority(authority).path(path);
    extra.forEach(h::add);
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(stream, h, block);
      byte[] bytes = new byte[block.readableBytes()];
      block.readBytes(bytes);
      synchronized (out) {
        int off = 0;
        boolean first = true;
        do {
          int n = Math.min(MAX_FRAME, bytes.length - off);
          boolean last = off + n == bytes.length;
          int flags = (last ? 0x4 : 0) | (first && endStream ? 0x1 : 0);
          writeFrame(first ? HEADERS : CONTINUATION, flags, stream, java.util.Arrays.copyOfRange(bytes, off,
              off + n));
          off += n;
          first = false;
        } while (off < bytes.length);
      }
    } catch (io.netty.handler.codec.http2.Http2Exception e) {
      throw new IOException(e);
    } finally {
      block.release();
    }
  }

  /** Ends a stream's request body (an empty DATA frame with END_STREAM). */
  void endStream(int stream) throws IOException {
    synchronized (out) {
      writeFrame(DATA, 0x1, stream, new byte[0]);
    }
  }

  void flush() throws IOException {
    synchronized (out) {
      out.flush();
    }
  }

  /** Waits until every given stream got a status or a reset, or the connection ended. */
  void awaitAnswers(List<Integer> streams, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end && !closedByPeer) {
      if (streams.stream().allMatch(s -> statuses.containsKey(s) || resets.containsKey(s))) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private void readLoop() {
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int pendingStream = 0;
    try {
      DataInputStream in = new DataInputStream(tls.getInputStream());
      while (true) {
        int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        switch (type) {
          case SETTINGS -> {
            if ((flags & 0x1) == 0) {
              for (int i = 0; i + 6 <= payload.length; i += 6) {
                int id = ((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff);
                long v = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xff) << 16)
                    | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
                serverSettings.put(id, v);
              }
              if (ackSettings) {
                synchronized (out) {
                  writeFrame(SETTINGS, 0x1, 0, new byte[0]);
                  out.flush();
                }
              }
              settingsSeen.countDown();
            }
          }
          case PING -> {
            if ((flags & 0x1) == 0) {
              synchronized (out) {
                writeFrame(PING, 0x1, 0, payload);
                out.flush();
              }
            }
          }
          case HEADERS, CONTINUATION -> {
            byte[] block = payload;
            if (type == HEADERS) {
              int off = 0;
              int pad = 0;
              if ((flags & 0x8) != 0) {
                pad = payload[0] & 0xff;
                off = 1;
              }
              if ((flags & 0x20) != 0) {
                off += 5;
              }
              block = java.util.Arrays.copyOfRange(payload, off, payload.length - pad);
              pendingStream = stream;
              pending.reset();
            }
            pending.write(block);
            if ((flags & 0x4) != 0) {
              ByteBuf buf = Unpooled.wrappedBuffer(pending.toByteArray());
              Http2Headers h = decoder.decodeHeaders(pendingStream, buf);
              if (h.status() != null) {
                statuses.putIfAbsent(pendingStream, h.status().toString());
              }
            }
          }
          case RST_STREAM -> resets.put(stream, java.nio.ByteBuffer.wrap(payload).getInt());
          case GOAWAY -> goAwayError = java.nio.ByteBuffer.wrap(payload, 4, 4).getInt();
          default -> {
            // DATA and WINDOW_UPDATE: the answers are small, well inside the default windows
          }
        }
      }
    } catch (EOFException | java.net.SocketException e) {
      closedByPeer = true;
    } catch (Exception e) {
      closedByPeer = true;
    }
  }

  private void writeFrame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] h = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length, (byte) type,
        (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(h);
    out.write(payload);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    tls.close();
  }
}
