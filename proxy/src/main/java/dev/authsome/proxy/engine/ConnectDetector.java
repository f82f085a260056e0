package dev.authsome.proxy.engine;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Looks at the first byte a client sends inside an intercepted CONNECT: a TLS handshake (0x16) gets a leaf
 * certificate for the CONNECT host, but only when the SNI names that same host; anything else is plain HTTP inside
 * the tunnel (undici does this for {@code http://} targets), which is forwarded but never given a credential.
 */
final class ConnectDetector extends ByteToMessageDecoder {
  private static final byte TLS_HANDSHAKE = 0x16;
  private final ProxyState state;
  private final Authority authority;

  ConnectDetector(ProxyState state, Authority authority) {
    this.state = state;
    this.authority = authority;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (!in.isReadable()) {
      return;
    }
    boolean tls = in.getByte(in.readerIndex()) == TLS_HANDSHAKE;
    String name = ctx.name();
    if (tls) {
      ctx.pipeline().addAfter(name, "tls", new SniHandler(new SameHostOnly()));
      ctx.pipeline().addAfter("tls", "alpn", new ProtocolSwitch(state, authority));
    } else {
      ctx.pipeline().addAfter(name, "http", newCodec());
      ctx.pipeline().addAfter("http", "exchange", new ExchangeHandler(state, authority, false));
    }
    ctx.pipeline().remove(this); // hands the bytes read so far to the handlers just added
  }

  static HttpServerCodec newCodec() {
    return new HttpServerCodec(8192, 32 * 1024, 64 * 1024);
  }

  /** Serves the leaf for the CONNECT host, and refuses a handshake whose SNI names another host. */
  private final class SameHostOnly implements AsyncMapping<String, SslContext> {
    @Override
    public Future<SslContext> map(String sni, Promise<SslContext> promise) {
      String host = sni == null ? authority.host() : sni.toLowerCase(java.util.Locale.ROOT);
      if (!host.equals(authority.host())) {
        state.audit.count("proxy_deny", null, null, authority.host(), "sni_mismatch");
        return promise.setFailure(new SSLException("TLS server name " + host + " does not match the CONNECT"
            + " authority " + authority));
      }
      try {
        return promise.setSuccess(state.leaves.forHost(host));
      } catch (RuntimeException e) {
        return promise.setFailure(e);
      }
    }
  }
}
