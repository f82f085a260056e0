package dev.authsome.proxy.engine;

import dev.authsome.proxy.UpstreamProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Connections to upstreams. HTTP connections are kept for reuse per (authority, scheme) and per event loop, so that
 * a connection is only ever reused for the authority it was opened to (never across hosts) and always on the
 * thread of the client connection using it (no locking). Upstream TLS is verified against the system roots plus the
 * configured extra roots, never against authsome's own CA. The parent's own proxy is honoured for the upstream leg.
 */
final class Upstreams {
  static final int CONNECT_TIMEOUT_MILLIS = 15_000;
  /** An idle pooled connection is closed after this; active exchanges have no absolute timeout. */
  static final int IDLE_SECONDS = 60;

  private final Map<String, InetSocketAddress> resolve;
  private final SslContext tls;
  private final UpstreamProxy parentProxy;
  private final Class<? extends SocketChannel> socketChannel;
  /** Per event loop (only touched on that loop): key to idle connections. */
  private final io.netty.util.concurrent.FastThreadLocal<Map<String, Deque<Channel>>> idle =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected Map<String, Deque<Channel>> initialValue() {
          return new HashMap<>();
        }
      };

  /** Per event loop: authority to its HTTP/2 connection, shared by concurrent exchanges (one stream each). */
  private final io.netty.util.concurrent.FastThreadLocal<Map<String, Channel>> h2Parents =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected Map<String, Channel> initialValue() {
          return new HashMap<>();
        }
      };

  /** Per event loop: authorities whose first connection is still negotiating (others wait to share an h2 one). */
  private final io.netty.util.concurrent.FastThreadLocal<Map<String, Promise<Void>>> probes =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected Map<String, Promise<Void>> initialValue() {
          return new HashMap<>();
        }
      };
  /** Per event loop: authorities known to answer HTTP/1.1 (nothing to wait for). */
  private final io.netty.util.concurrent.FastThreadLocal<java.util.Set<String>> knownHttp11 =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected java.util.Set<String> initialValue() {
          return new java.util.HashSet<>();
        }
      };

  Upstreams(Map<String, InetSocketAddress> resolve, SslContext tls, UpstreamProxy parentProxy,
      Class<? extends SocketChannel> socketChannel) {
    this.socketChannel = socketChannel;
    this.resolve = Map.copyOf(resolve);
    this.tls = tls;
    this.parentProxy = parentProxy;
  }

  private static String key(Authority a, boolean tls) {
    return (tls ? "https://" : "http://") + a;
  }

  /** Where to dial for {@code a}: a {@code proxy.resolve} override, else the name itself (resolved by Netty). */
  SocketAddress dialAddress(Authority a) {
    InetSocketAddress override = resolve.get(a.host() + ":" + a.port());
    return override != null ? override : InetSocketAddress.createUnresolved(a.host(), a.port());
  }

  /**
   * An HTTP connection to {@code a} ready for a request (TLS handshake done): a pooled one of this loop, else a new
   * one. Must be called on {@code loop}.
   */
  Future<Channel> acquire(EventLoop loop, Authority a, boolean useTls) {
    Channel h2 = h2Parents.get().get(key(a, useTls));
    if (h2 != null && h2.isActive()) {
      return openStream(loop, h2);
    }
    Deque<Channel> pool = idle.get().get(key(a, useTls));
    while (pool != null && !pool.isEmpty()) {
      Channel ch = pool.pollLast();
      if (ch.isActive()) {
        return loop.newSucceededFuture(ch);
      }
    }
    String k = key(a, useTls);
    Promise<Void> probing = probes.get().get(k);
    if (probing != null) {
      // a first connection is finding out whether this upstream speaks HTTP/2: if it does, share it
      Promise<Channel> shared = loop.newPromise();
      probing.addListener(f -> acquire(loop, a, useTls).addListener(g -> {
        if (g.isSuccess()) {
          shared.trySuccess((Channel) g.getNow());
        } else {
          shared.tryFailure(g.cause());
        }
      }));
      return shared;
    }
    Promise<Void> probe = null;
    if (useTls && !knownHttp11.get().contains(k)) {
      probe = loop.newPromise();
      probes.get().put(k, probe);
    }
    Promise<Void> finished = probe;
    Promise<Channel> ready = loop.newPromise();
    ready.addListener(f -> {
      if (finished != null) {
        probes.get().remove(k, finished);
        finished.trySuccess(null);
      }
    });
    Optional<URI> via = parentProxy.select(a.host(), useTls);
    Bootstrap b = new Bootstrap().group(loop).channel(socketChannel)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            via.ifPresent(p -> ch.pipeline().addLast("upstream-proxy", proxyHandler(p)));
            if (useTls) {
              ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), a.host(), a.port()));
            }
            ch.pipeline().addLast("http", new HttpClientCodec(8192, 64 * 1024, 16 * 1024));
            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
            ch.pipeline().addLast("upstream", new UpstreamHandler());
          }
        });
    SocketAddress target = via.isPresent() ? InetSocketAddress.createUnresolved(a.host(), a.port())
        : dialAddress(a);
    // with a parent proxy, the proxy handler turns this connect into one to the proxy plus a CONNECT to target,
    // and the name is the parent's to resolve (it may be the only one that can)
    if (via.isPresent()) {
      b.resolver(io.netty.resolver.NoopAddressResolverGroup.INSTANCE);
    }
    ChannelFuture cf = b.connect(target);
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        ready.tryFailure(f.cause());
        return;
      }
      Channel ch = cf.channel();
      Future<?> step = via.isPresent()
          ? ch.pipeline().get(HttpProxyHandler.class).connectFuture() : loop.newSucceededFuture(null);
      step.addListener(p -> {
        if (!p.isSuccess()) {
          ch.close();
          ready.tryFailure(p.cause());
          return;
        }
        if (!useTls) {
          ready.trySuccess(ch);
          return;
        }
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        ssl.handshakeFuture().addListener(h -> {
          if (h.isSuccess() && "h2".equals(ssl.applicationProtocol())) {
            becomeHttp2(ch, a, useTls).addListener(settled -> {
              if (!settled.isSuccess()) {
                ready.tryFailure(settled.cause());
                return;
              }
              openStream(loop, ch).addListener(o -> {
                if (o.isSuccess()) {
                  ready.trySuccess((Channel) o.getNow());
                } else {
                  ready.tryFailure(o.cause());
                }
              });
            });
          } else if (h.isSuccess()) {
            knownHttp11.get().add(k); // later exchanges open their own connections at once
            ready.trySuccess(ch);
          } else {
            ch.close();
            ready.tryFailure(h.cause());
          }
        });
      });
    });
    return ready;
  }

  /**
   * Turns a fresh TLS connection whose server chose {@code h2} into an HTTP/2 connection shared by every exchange
   * with this authority on this loop; each exchange gets its own stream.
   */
  private Future<Void> becomeHttp2(Channel ch, Authority a, boolean useTls) {
    // Streams are opened only once the upstream's SETTINGS are in: before them its SETTINGS_MAX_CONCURRENT_STREAMS
    // is unknown, and a burst of agent streams would go out unlimited and be refused (nginx allows 128).
    Promise<Void> settled = ch.eventLoop().newPromise();
    ch.pipeline().remove("upstream");
    ch.pipeline().remove("http");
    // streams opened from several agent connections' reads flush one by one: leave together (see ProtocolSwitch)
    ch.pipeline().addBefore("idle", "flush", new FlushConsolidationHandler(
        FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    ch.pipeline().addBefore("idle", "h2", Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
            .maxHeaderListSize(ProtocolSwitch.MAX_HEADER_LIST_BYTES))
        // the agents on this loop may together want more streams than the upstream allows at once; the extra ones
        // wait for a free stream instead of failing
        .encoderEnforceMaxConcurrentStreams(true)
        .validateHeaders(true).build());
    ch.pipeline().addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
    ch.pipeline().addLast("idle-close", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2SettingsFrame) {
          settled.trySuccess(null);
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        settled.tryFailure(new java.nio.channels.ClosedChannelException());
        ctx.fireChannelInactive();
      }

      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        closeWhenIdle(ctx, evt);
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // an HTTP/2 error was answered by the codec (a connection error with GOAWAY and a close, which closing
        // here would cut short); anything else ends the connection. Neither goes on to the tail's stack-trace log.
        if (io.netty.handler.codec.http2.Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
          ctx.close();
        }
      }
    });
    Map<String, Channel> parents = h2Parents.get();
    String k = key(a, useTls);
    settled.addListener(f -> {
      if (f.isSuccess() && ch.isActive()) {
        parents.put(k, ch);
      }
    });
    ch.closeFuture().addListener(f -> parents.remove(k, ch));
    return settled;
  }

  private static Future<Channel> openStream(EventLoop loop, Channel parent) {
    Promise<Channel> p = loop.newPromise();
    new Http2StreamChannelBootstrap(parent).handler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(false));
        stream.pipeline().addLast("upstream", new UpstreamHandler());
      }
    }).open().addListener(f -> {
      if (f.isSuccess()) {
        p.trySuccess((Channel) f.getNow());
      } else {
        p.tryFailure(f.cause());
      }
    });
    return p;
  }

  /** Returns a connection whose exchange completed cleanly, for reuse by the same authority on the same loop. */
  void release(Channel ch, Authority a, boolean useTls) {
    if (ch instanceof Http2StreamChannel) {
      ch.close(); // the stream is done; its connection stays for the next exchange
      return;
    }
    if (!ch.isActive()) {
      return;
    }
    Deque<Channel> pool = idle.get().computeIfAbsent(key(a, useTls), k -> new ArrayDeque<>());
    if (pool.size() >= 64) {
      ch.close();
      return;
    }
    pool.addLast(ch);
    ch.closeFuture().addListener(f -> pool.remove(ch));
    ch.config().setAutoRead(true); // notice a close by the upstream while idle
  }

  /** A raw TCP connection for a blind tunnel (through the parent's proxy when it has one); not reading yet. */
  Future<Channel> connectRaw(EventLoop loop, Authority a) {
    Promise<Channel> ready = loop.newPromise();
    Optional<URI> via = parentProxy.select(a.host(), true);
    Bootstrap b = new Bootstrap().group(loop).channel(socketChannel)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            via.ifPresent(p -> ch.pipeline().addLast("upstream-proxy", proxyHandler(p)));
          }
        });
    if (via.isPresent()) {
      b.resolver(io.netty.resolver.NoopAddressResolverGroup.INSTANCE);
    }
    ChannelFuture cf = b.connect(via.isPresent() ? InetSocketAddress.createUnresolved(a.host(), a.port())
        : dialAddress(a));
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        ready.tryFailure(f.cause());
        return;
      }
      if (via.isEmpty()) {
        ready.trySuccess(cf.channel());
        return;
      }
      cf.channel().pipeline().get(HttpProxyHandler.class).connectFuture().addListener(p -> {
        if (p.isSuccess()) {
          cf.channel().pipeline().remove(HttpProxyHandler.class);
          ready.trySuccess(cf.channel());
        } else {
          cf.channel().close();
          ready.tryFailure(p.cause());
        }
      });
    });
    return ready;
  }

  private static int port(URI proxy) {
    return proxy.getPort() > 0 ? proxy.getPort() : 80;
  }

  private HttpProxyHandler proxyHandler(URI proxy) {
    // resolved here: the bootstrap's resolver is off for proxied connections (the target is the parent's to resolve)
    InetSocketAddress address = new InetSocketAddress(proxy.getHost(), port(proxy));
    String info = proxy.getRawUserInfo();
    if (info != null && info.contains(":")) {
      String decoded = java.net.URLDecoder.decode(info, java.nio.charset.StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return new HttpProxyHandler(address, decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    return new HttpProxyHandler(address);
  }

  /** Closes pooled connections that stayed idle too long. */
  static void closeWhenIdle(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    }
  }
}
