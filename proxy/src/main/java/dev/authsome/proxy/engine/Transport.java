package dev.authsome.proxy.engine;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The socket transport the proxy's event loops run on: Linux's native epoll where Netty's library loads (x86-64
 * today), which spends fewer system calls per request than the JDK's selector, and the JDK's NIO everywhere else.
 * Both legs of an exchange share one event loop, so every channel the proxy opens must come from the same transport.
 * {@code AUTHSOME_PROXY_TRANSPORT=nio} (or the system property {@code authsome.proxy.transport}) forces NIO, should
 * the native library misbehave on some system.
 */
record Transport(String name, Supplier<IoHandlerFactory> ioHandlers, Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel) {

  static final Transport NIO = new Transport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class,
      NioSocketChannel.class);

  /** The transport to use: epoll when it is available and not turned off, else NIO. */
  static Transport pick() {
    String asked = System.getProperty("authsome.proxy.transport", System.getenv("AUTHSOME_PROXY_TRANSPORT"));
    if (asked != null && asked.trim().toLowerCase(Locale.ROOT).equals("nio")) {
      return NIO;
    }
    return epollAvailable() ? new Transport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class,
        EpollSocketChannel.class) : NIO;
  }

  private static boolean epollAvailable() {
    try {
      return Epoll.isAvailable();
    } catch (LinkageError e) {
      return false; // the classes are there but no native library for this platform: NIO
    }
  }
}
