package dev.authsome.proxy.engine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * The end of an upstream connection's pipeline: hands what the upstream sends to the exchange using the connection,
 * and closes a pooled connection that talks out of turn or sits idle too long.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private @Nullable ExchangeHandler exchange;

  void attach(ExchangeHandler e) {
    this.exchange = e;
  }

  void detach() {
    this.exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ExchangeHandler e = exchange;
    if (e == null) {
      ReferenceCountUtil.release(msg);
      ctx.close(); // an idle connection has nothing to say
      return;
    }
    e.fromUpstream(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ExchangeHandler e = exchange;
    if (e != null) {
      e.upstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    ExchangeHandler e = exchange;
    if (e != null) {
      e.upstreamWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ExchangeHandler e = exchange;
    exchange = null;
    if (e != null) {
      e.upstreamClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ExchangeHandler e = exchange;
    exchange = null;
    if (e != null) {
      e.upstreamClosed(cause);
    }
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && exchange == null) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
