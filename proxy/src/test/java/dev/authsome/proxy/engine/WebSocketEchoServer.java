package dev.authsome.proxy.engine;

import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.IssuedCertificate;
import dev.authsome.proxy.tls.Pem;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real WebSocket server over TLS (Netty's own codec) on a {@code .test} name: it echoes each text frame, prefixed
 * with the Authorization header its handshake carried.
 */
final class WebSocketEchoServer implements AutoCloseable {
  final Path caFile;
  final List<String> handshakeAuthorization = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel channel;

  WebSocketEchoServer(Path dir, String host) throws Exception {
    CertificateAuthority ca = CertificateAuthority.ephemeral(new TreeSet<>(List.of(host)), Clock.systemUTC());
    IssuedCertificate leaf = ca.issue(host);
    SslContext ssl = SslContextBuilder.forServer(leaf.key(), leaf.chain().toArray(new X509Certificate[0])).build();
    caFile = dir.resolve("ws-ca.pem");
    Files.writeString(caFile, Pem.encode(ca.rootCertificate()));
    channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(), new HttpObjectAggregator(65536),
                new WebSocketServerProtocolHandler("/ws"), new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                  private String auth = "<none>";

                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                      auth = String.valueOf(hc.requestHeaders().get("Authorization"));
                      handshakeAuthorization.add(auth);
                    }
                    ctx.fireUserEventTriggered(evt);
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                    ctx.writeAndFlush(new TextWebSocketFrame("echo(" + auth + "): " + frame.text()));
                  }
                });
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
