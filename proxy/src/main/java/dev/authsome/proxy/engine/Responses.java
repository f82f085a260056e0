package dev.authsome.proxy.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The proxy's own answers: short plain-text bodies an agent (or its user) can act on. */
final class Responses {
  private Responses() {
  }

  /**
   * Writes {@code status} with {@code text} (one line, newline added). Keeps the connection when {@code keepAlive},
   * else closes it once written.
   */
  static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer("authsome proxy: " + text + "\n", StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    r.headers().set("X-Authsome-Proxy", status.code());
    if (status.code() == 407) {
      r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"authsome\"");
    }
    if (!keepAlive) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(r);
    }
  }
}
