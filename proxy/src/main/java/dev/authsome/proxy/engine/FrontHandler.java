package dev.authsome.proxy.engine;

import dev.authsome.proxy.ProxyPolicy;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The first handler a client meets: checks the proxy credential (407 without it, so other local users and
 * processes cannot borrow the user's tokens), then turns a CONNECT into either an intercepted connection (a route
 * covers the host), a blind byte-for-byte tunnel (policy allow), or a refusal (policy deny). Absolute-form
 * {@code http://} requests go on to the {@link ExchangeHandler} behind it.
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
  private final ProxyState state;
  private boolean dropping;
  private boolean connecting;

  FrontHandler(ProxyState state) {
    this.state = state;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      if (req.decoderResult().isFailure()) {
        // The codec could not read the head, so it has no headers (no credential) to check: saying "407" here
        // would send the client hunting for a credential problem it does not have. Nothing is forwarded.
        dropping = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        Responses.send(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request ("
            + printable(ExchangeHandler.oneLine(req.decoderResult().cause())) + ")", false);
        return;
      }
      if (!authorized(req)) {
        String target = req.method() == HttpMethod.CONNECT ? req.uri() : "?";
        state.audit.count("proxy_deny", null, null, hostOf(target), "proxy_credential_missing");
        dropping = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        Responses.send(ctx, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED, "proxy credential missing or wrong;"
            + " use the HTTPS_PROXY URL authsome gave (it carries the credential)", HttpUtil.isKeepAlive(req));
        return;
      }
      if (req.method() == HttpMethod.CONNECT) {
        connecting = true;
        ReferenceCountUtil.release(msg);
        connect(ctx, req);
        return;
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof HttpContent c && (dropping || connecting)) {
      c.release();
      if (c instanceof LastHttpContent) {
        dropping = false;
      }
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private boolean authorized(HttpRequest req) {
    String given = req.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(given.trim().getBytes(StandardCharsets.UTF_8),
        state.expectedProxyAuthorization.getBytes(StandardCharsets.UTF_8));
  }

  private void connect(ChannelHandlerContext ctx, HttpRequest req) {
    Channel client = ctx.channel();
    Authority a = Authority.parse(req.uri(), -1);
    if (a == null) {
      Responses.send(ctx, HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port (got '" + printable(req.uri())
          + "')", false);
      return;
    }
    client.config().setAutoRead(false);
    if (state.intercepts(a)) {
      established(ctx).addListener(f -> {
        if (f.isSuccess()) {
          ChannelPipeline p = client.pipeline();
          p.remove("exchange");
          p.remove("http");
          p.addAfter("front", "detect", new ConnectDetector(state, a));
          p.remove(this);
          client.config().setAutoRead(true);
        }
      });
      return;
    }
    if (state.policy == ProxyPolicy.DENY) {
      String owner = state.routes().unconnectedOwner(a).orElse(null);
      state.audit.count("proxy_deny", owner, null, a.host(), owner != null ? "not_connected" : "no_route");
      Responses.send(ctx, HttpResponseStatus.FORBIDDEN, owner != null
          ? "provider " + owner + " is not connected: run `authsome login " + owner + "`"
          : a.host() + " is not an API authsome holds a credential for, and the proxy policy is deny", false);
      return;
    }
    state.audit.count("proxy_miss", null, null, a.host(), "tunnelled");
    state.upstreams.connectRaw(client.eventLoop(), a).addListener(f -> {
      if (!f.isSuccess()) {
        Responses.send(ctx, HttpResponseStatus.BAD_GATEWAY, "cannot reach " + a + " ("
            + ExchangeHandler.oneLine(f.cause()) + ")", false);
        return;
      }
      Channel up = (Channel) f.getNow();
      if (!client.isActive()) {
        up.close();
        return;
      }
      established(ctx).addListener(w -> {
        if (!w.isSuccess()) {
          up.close();
          return;
        }
        ChannelPipeline p = client.pipeline();
        p.remove("exchange");
        p.remove("http");
        p.remove("idle");
        p.remove(this);
        Relay.join(client, up);
      });
    });
  }

  private static io.netty.channel.ChannelFuture established(ChannelHandlerContext ctx) {
    DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        new HttpResponseStatus(200, "Connection established"), Unpooled.EMPTY_BUFFER);
    return ctx.writeAndFlush(ok).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private static String hostOf(String target) {
    Authority a = Authority.parse(target, 443);
    return a == null ? "?" : a.host();
  }

  private static String printable(String s) {
    String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
