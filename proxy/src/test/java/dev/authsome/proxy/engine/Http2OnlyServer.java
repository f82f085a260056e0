package dev.authsome.proxy.engine;

import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.IssuedCertificate;
import dev.authsome.proxy.tls.Pem;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/2-only server over TLS (Netty's HTTP/2 codec; ALPN offers {@code h2} alone, so an HTTP/1.1 client
 * could not talk to it directly): answers every request with the Authorization header it saw, and counts the
 * TCP connections it accepted.
 */
final class Http2OnlyServer implements AutoCloseable {
  final Path caFile;
  final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
  final AtomicInteger connections = new AtomicInteger();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  Http2OnlyServer(Path dir, String host) throws Exception {
    this(dir, host, 0);
  }

  /**
   * With {@code maxConcurrentStreams} above 0 the server advertises that cap and holds each answer 50 ms, so a
   * burst of requests really has more streams open than the cap allows.
   */
  Http2OnlyServer(Path dir, String host, int maxConcurrentStreams) throws Exception {
    CertificateAuthority ca = CertificateAuthority.ephemeral(new TreeSet<>(List.of(host)), Clock.systemUTC());
    IssuedCertificate leaf = ca.issue(host);
    SslContext ssl = SslContextBuilder.forServer(leaf.key(), leaf.chain().toArray(new X509Certificate[0]))
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT, "h2"))
        .build();
    caFile = dir.resolve("h2-ca.pem");
    Files.writeString(caFile, Pem.encode(ca.rootCertificate()));
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            Http2FrameCodecBuilder codec = Http2FrameCodecBuilder.forServer();
            if (maxConcurrentStreams > 0) {
              codec.initialSettings(io.netty.handler.codec.http2.Http2Settings.defaultSettings()
                  .maxConcurrentStreams(maxConcurrentStreams));
            }
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), codec.build(),
                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(1 << 20), new SimpleChannelInboundHandler<FullHttpRequest>() {
                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                            String auth = String.valueOf(req.headers().get("authorization"));
                            seenAuthorization.add(auth);
                            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                HttpResponseStatus.OK, Unpooled.copiedBuffer("h2 you sent: " + auth + "\n",
                                StandardCharsets.UTF_8));
                            r.headers().setInt("content-length", r.content().readableBytes());
                            if (maxConcurrentStreams > 0) {
                              ctx.executor().schedule(() -> ctx.writeAndFlush(r), 50,
                                  java.util.concurrent.TimeUnit.MILLISECONDS);
                            } else {
                              ctx.writeAndFlush(r);
                            }
                          }
                        });
                  }
                }));
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
  }

  int port() {
    return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
