package dev.authsome.proxy.engine;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Moves bytes from its channel to {@code peer}, untouched: the blind tunnel for hosts authsome does not intercept,
 * and a WebSocket after its upgrade. Back-pressure: when the peer cannot take more, this side stops reading. A
 * half-close is passed on as a half-close, so a client that shuts its output still gets the whole answer.
 */
final class Relay extends ChannelInboundHandlerAdapter {
  private final Channel peer;

  Relay(Channel peer) {
    this.peer = peer;
  }

  /** Joins two channels in both directions and starts reading on both. */
  static void join(Channel a, Channel b) {
    a.pipeline().addLast("relay", new Relay(b));
    b.pipeline().addLast("relay", new Relay(a));
    a.config().setAutoRead(true);
    b.config().setAutoRead(true);
    a.read();
    b.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    peer.write(msg).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        ctx.close();
      }
    });
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // this channel drained: the peer may read again
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && peer instanceof DuplexChannel d && d.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput());
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
