package dev.authsome.proxy.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * After the agent's TLS handshake: HTTP/2 when the agent chose {@code h2} by ALPN, HTTP/1.1 otherwise. With HTTP/2
 * every stream becomes a child channel whose frames are turned into the same request and response objects HTTP/1.1
 * uses, so routing, the Host ({@code :authority}) check, injection, scrubbing, policy and audit are one code path,
 * and the upstream leg may speak either version whatever the agent speaks.
 */
final class ProtocolSwitch extends ApplicationProtocolNegotiationHandler {
  /** Concurrent streams one agent connection may open (SETTINGS_MAX_CONCURRENT_STREAMS). */
  static final int MAX_CONCURRENT_STREAMS = 250;
  /** Largest header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE), as for HTTP/1.1 headers. */
  static final int MAX_HEADER_LIST_BYTES = 64 * 1024;

  private final ProxyState state;
  private final Authority authority;

  ProtocolSwitch(ProxyState state, Authority authority) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.state = state;
    this.authority = authority;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      // Each stream's answer is flushed on its own, mostly from the upstream connection's read rather than this
      // one's: ten streams answered by one upstream read would be ten TLS records and ten write(2) calls (the
      // profile in docs/performance.md). Consolidated, they leave together once the event loop has handled the read.
      ctx.pipeline().addAfter(ctx.name(), "flush", new FlushConsolidationHandler(
          FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
      ctx.pipeline().addAfter("flush", "h2", Http2FrameCodecBuilder.forServer()
          .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
              .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
          .validateHeaders(true)
          .build());
      ctx.pipeline().addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
          stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
          stream.pipeline().addLast("exchange", new ExchangeHandler(state, authority, true));
        }
      }));
      ctx.pipeline().addAfter("streams", "h2-errors", new ChannelInboundHandlerAdapter() {
        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
          // an HTTP/2 error was already answered by the codec (RST_STREAM, or GOAWAY then a close for a connection
          // error such as a header list far over the limit): closing now would drop that GOAWAY. Anything else
          // (TLS, I/O) ends the connection. Neither may reach the pipeline's tail, which logs a stack trace for each
          // hostile client.
          if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            c.close();
          }
        }
      });
      return;
    }
    ctx.pipeline().addAfter(ctx.name(), "http", ConnectDetector.newCodec());
    ctx.pipeline().addAfter("http", "exchange", new ExchangeHandler(state, authority, true));
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a refused SNI or a client that does not trust the CA: nothing to answer over
  }
}
