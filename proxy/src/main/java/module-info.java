/**
 * The credential-injecting proxy behind {@code authsome run} and {@code authsome proxy}: a loopback HTTP proxy that
 * tunnels every CONNECT untouched except those to hosts authsome holds a credential for, which it terminates with a
 * leaf signed by a name-constrained CA, injects the credential into, and forwards over verified TLS. Only the two
 * long-running commands load this module; the short commands never touch Netty, Conscrypt or BouncyCastle.
 */
module dev.authsome.proxy {
  requires static org.jspecify;
  // ChildEnvironment.prepare takes core's ProxyRoute: users of this module need to read core too
  requires transitive dev.authsome.core;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.codec.compression;
  requires io.netty.handler.proxy;
  requires io.netty.resolver;
  requires org.conscrypt;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires com.github.benmanes.caffeine;

  exports dev.authsome.proxy;
}
