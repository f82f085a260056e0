package dev.authsome.proxy.engine;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.InjectedCredential;
import dev.authsome.core.ProxyRoute;
import dev.authsome.core.Secret;
import dev.authsome.proxy.ProxyPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 exchanges on one client connection: inside an intercepted CONNECT ({@code tunnel} set; TLS or, for
 * undici's {@code http://} over CONNECT, plain) or absolute-form {@code http://} requests sent to the proxy itself
 * ({@code tunnel} null). Each request is routed, given its credential when it goes over TLS to a routed host, and
 * streamed to an upstream connection for its authority; the response streams back, scrubbed of echoed secrets.
 * Nothing is aggregated: request and response bodies flow piece by piece with back-pressure both ways. Exchanges are
 * served one at a time; a pipelined request waits in {@link #backlog} until the one before it completed.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  /** A gzip body larger than this is passed on unscrubbed (decoding it whole would cost too much memory). */
  static final int GZIP_SCRUB_LIMIT = 8 * 1024 * 1024;

  private final ProxyState state;
  private final @Nullable Authority tunnel;
  private final boolean tls;
  private @Nullable ChannelHandlerContext ctx;

  private final ArrayDeque<Object> backlog = new ArrayDeque<>();
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  private boolean active;
  private boolean dropping;
  private boolean requestDone;
  private boolean clientKeepAlive;
  private boolean upgradeRequested;
  private @Nullable HttpMethod method;
  private @Nullable Authority target;
  private boolean targetTls;
  private @Nullable Channel upstream;
  private boolean upstreamReady;
  private boolean responseStarted;
  private boolean informational;
  private boolean closeAfterResponse;
  private boolean upstreamKeepAlive;
  private boolean switching;
  /** The client shut its output (half-close): answer what it sent, then close. */
  private boolean inputShutdown;
  private @Nullable Scrubber scrubber;
  private @Nullable CompositeByteBuf gzipBody;
  private @Nullable HttpResponse heldResponse;

  ExchangeHandler(ProxyState state, @Nullable Authority tunnel, boolean tls) {
    this.state = state;
    this.tunnel = tunnel;
    this.tls = tls;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext c) {
    this.ctx = c;
  }

  @Override
  public void channelRead(ChannelHandlerContext c, Object msg) {
    if (active && requestDone || !backlog.isEmpty()) {
      backlog.add(msg); // pipelined: served after the exchange in progress
      c.channel().config().setAutoRead(false);
      return;
    }
    handle(msg);
  }

  private void handle(Object msg) {
    if (msg instanceof io.netty.handler.codec.http.FullHttpRequest full) {
      // an HTTP/2 HEADERS frame that ends its stream arrives whole: handled as a head and its (empty) body, so
      // the body is written and released exactly once
      handle(new io.netty.handler.codec.http.DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
          full.headers()));
      handle(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
      return;
    }
    if (msg instanceof HttpRequest req) {
      begin(req);
    }
    if (msg instanceof HttpContent content) {
      content(content);
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
  }

  private ChannelHandlerContext ctx() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("handler not added");
    }
    return c;
  }

  // ---------------------------------------------------------------------------------------------- the request

  private void begin(HttpRequest req) {
    active = true;
    requestDone = false;
    responseStarted = false;
    informational = false;
    scrubber = null;
    method = req.method();
    clientKeepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      refuse(HttpResponseStatus.BAD_REQUEST, "malformed request (" + oneLine(req.decoderResult().cause())
          + ")", false);
      return;
    }
    if (req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      // RFC 9112 section 3.2: more than one Host is a 400; a server that reads the last one while authsome checked
      // the first would otherwise get the credential for a host authsome never approved
      refuse(HttpResponseStatus.BAD_REQUEST, "more than one Host header; send exactly one", false);
      return;
    }
    String path;
    if (tunnel != null) {
      target = tunnel;
      targetTls = tls;
      path = req.uri();
      if (path.startsWith("http://") || path.startsWith("https://")) {
        Authority inUri = absoluteAuthority(path);
        if (inUri == null || !inUri.equals(tunnel)) {
          misdirected(String.valueOf(inUri));
          return;
        }
        path = originForm(path);
      }
      String host = req.headers().get(HttpHeaderNames.HOST);
      if (!tunnel.sameAs(host, tls)) {
        misdirected(host);
        return;
      }
    } else {
      String uri = req.uri();
      if (uri.regionMatches(true, 0, "https://", 0, 8)) {
        refuse(HttpResponseStatus.BAD_REQUEST, "https:// URLs must go through CONNECT (set HTTPS_PROXY);"
            + " authsome never downgrades TLS", false);
        return;
      }
      Authority a = uri.regionMatches(true, 0, "http://", 0, 7) ? absoluteAuthority(uri) : null;
      if (a == null) {
        refuse(HttpResponseStatus.BAD_REQUEST, "this is a proxy: send absolute http:// URLs or CONNECT", false);
        return;
      }
      target = a;
      targetTls = false;
      path = originForm(uri);
    }
    req.setUri(path);
    Authority t = target;
    RouteTable.Decision d = state.routes().decide(t, path);
    String provider = RouteTable.providerOf(d);
    if (!targetTls) {
      // secrets only ever travel over TLS: a plain request is forwarded untouched, or refused under deny
      if (state.policy == ProxyPolicy.DENY && !(d instanceof RouteTable.Decision.OAuthEndpoint)) {
        state.audit.count("proxy_deny", provider, null, t.host(), "plain_http");
        refuse(HttpResponseStatus.FORBIDDEN, d instanceof RouteTable.Decision.Inject
            ? "authsome injects credentials only over https; use https://" + t.hostHeader(true)
            : t.host() + " is not an API authsome holds a credential for, and the proxy policy is deny", true);
        return;
      }
      forward(req, null, null);
      return;
    }
    if (d instanceof RouteTable.Decision.Inject inject) {
      ProxyRoute route = inject.route();
      String connection = route.connection() == null ? "default" : route.connection();
      CompletableFuture<InjectedCredential> pending = state.credentials.get(route.provider(), connection);
      if (pending.isDone() && !pending.isCompletedExceptionally()) {
        // the usual case once warm: the cached headers are used on the event loop, with no hop and no pause in reading
        injected(req, route, connection, pending.join(), null);
        return;
      }
      ctx().channel().config().setAutoRead(false);
      pending.whenComplete((cred, error) ->
          ctx().executor().execute(() -> injected(req, route, connection, cred, error)));
      return;
    }
    if (d instanceof RouteTable.Decision.Ambiguous amb) {
      state.warnOnce("ambiguous:" + t.host(), "The routes of " + String.join(" and ", amb.providers())
          + " match " + t.host() + " equally well; no credential is injected there. Make one route more specific.");
      state.audit.count("proxy_miss", null, null, t.host(), "ambiguous");
      forward(req, null, null);
      return;
    }
    if (d instanceof RouteTable.Decision.Unconnected u) {
      state.audit.count(state.policy == ProxyPolicy.DENY ? "proxy_deny" : "proxy_miss", u.provider(), null,
          t.host(), "not_connected");
      if (state.policy == ProxyPolicy.DENY) {
        refuse(HttpResponseStatus.FORBIDDEN, "provider " + u.provider() + " is not connected: run `authsome login "
            + u.provider() + "`", true);
        return;
      }
      forward(req, null, null);
      return;
    }
    if (d instanceof RouteTable.Decision.Miss) {
      state.audit.count(state.policy == ProxyPolicy.DENY ? "proxy_deny" : "proxy_miss", null, null, t.host(),
          "no_route");
      if (state.policy == ProxyPolicy.DENY) {
        refuse(HttpResponseStatus.FORBIDDEN, "no credential route matches " + t.host() + path.replaceAll("\\?.*",
            "") + " and the proxy policy is deny", true);
        return;
      }
    }
    forward(req, null, null); // the provider's own OAuth endpoints, or an unmatched path under allow
  }

  private void injected(HttpRequest req, ProxyRoute route, String connection, @Nullable InjectedCredential cred,
      @Nullable Throwable error) {
    Authority t = target;
    if (t == null || !ctx().channel().isActive()) {
      ReferenceCountUtil.release(req);
      return;
    }
    if (cred == null) {
      Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      String why = cause instanceof AuthsomeException ae ? ae.getMessage() : oneLine(cause);
      state.audit.count("proxy_deny", route.provider(), connection, t.host(), "credential_unavailable");
      ctx().channel().config().setAutoRead(true);
      refuse(HttpResponseStatus.BAD_GATEWAY, "the credential of " + route.provider() + " (" + connection
          + ") cannot be used: " + why, true);
      return;
    }
    List<String> secrets = new ArrayList<>();
    for (Map.Entry<String, Secret> h : cred.headers().entrySet()) {
      // the credential part only ("Bearer X" -> X): an echo then reads "Bearer <placeholder>", as the agent sent it
      String value = h.getValue().reveal();
      int space = value.indexOf(' ');
      secrets.add(space > 0 ? value.substring(space + 1) : value);
    }
    String placeholder = route.placeholders().values().stream().findFirst().orElse(ProxyRoute.DEFAULT_PLACEHOLDER);
    Scrubber s = new Scrubber(secrets, placeholder);
    state.audit.count("proxy_inject", route.provider(), connection, t.host(), "injected");
    forward(req, s, cred);
  }

  /** Cleans the request's headers, then sends it to an upstream connection for {@link #target}. */
  private void forward(HttpRequest req, @Nullable Scrubber s, @Nullable InjectedCredential cred) {
    Authority t = target;
    if (t == null) {
      return;
    }
    scrubber = s;
    HttpHeaders h = req.headers();
    upgradeRequested = h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    Headers.stripHopByHop(h, upgradeRequested);
    if (cred != null) {
      // the injected values stay: the names were set above and are not hop-by-hop
      cred.headers().forEach((name, value) -> h.set(name, value.reveal()));
    }
    h.set(HttpHeaderNames.HOST, t.hostHeader(targetTls));
    if (upgradeRequested) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    req.setProtocolVersion(HttpVersion.HTTP_1_1);
    Channel client = ctx().channel();
    io.netty.util.concurrent.Future<Channel> acquired = state.upstreams.acquire(client.eventLoop(), t, targetTls);
    if (!acquired.isDone()) {
      // a new upstream connection: hold the agent's body until there is somewhere to send it (a pooled one is
      // ready now, and pausing reads would cost two selector updates per request)
      client.config().setAutoRead(false);
    }
    acquired.addListener(f -> {
      if (!f.isSuccess()) {
        ReferenceCountUtil.release(req);
        state.audit.count("proxy_miss", null, null, t.host(), "upstream_unreachable");
        releasePending();
        client.config().setAutoRead(true);
        refuse(HttpResponseStatus.BAD_GATEWAY, "cannot reach " + t + " (" + oneLine(f.cause()) + ")",
            requestDone);
        return;
      }
      Channel up = (Channel) f.getNow();
      if (!client.isActive()) {
        ReferenceCountUtil.release(req);
        releasePending();
        up.close();
        return;
      }
      upstream = up;
      up.pipeline().get(UpstreamHandler.class).attach(this);
      up.write(req);
      while (!pending.isEmpty()) {
        up.write(pending.poll());
      }
      up.flush();
      upstreamReady = true;
      if (!requestDone) {
        client.config().setAutoRead(true);
      }
    });
  }

  private void content(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    if (dropping) {
      c.release();
      if (last) {
        dropping = false;
        finishRefused();
      }
      return;
    }
    if (last) {
      requestDone = true;
    }
    Channel up = upstream;
    if (!upstreamReady || up == null) {
      pending.add(c);
      return;
    }
    up.write(c);
    if (last) {
      up.flush();
      if (upgradeRequested) {
        // bytes after an upgrade request belong to the new protocol: leave them in the socket for the relay
        ctx().channel().config().setAutoRead(false);
      }
      // otherwise reading goes on (a pipelined request waits in the backlog, which pauses reading itself): turning
      // it off and on around every exchange cost two selector updates per request
    } else if (!up.isWritable()) {
      ctx().channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext c) {
    Channel up = upstream;
    if (up != null && upstreamReady) {
      up.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext c) {
    Channel up = upstream;
    if (up != null) {
      up.config().setAutoRead(c.channel().isWritable());
    }
    c.fireChannelWritabilityChanged();
  }

  // ---------------------------------------------------------------------------------------------- the response

  void fromUpstream(Object msg) {
    if (msg instanceof io.netty.handler.codec.http.FullHttpResponse full) {
      HttpHeaders trailers = full.trailingHeaders();
      if (!full.content().isReadable() && trailers.isEmpty() && full.headers().contains("grpc-status")) {
        // a gRPC "trailers-only" answer (one HEADERS frame ending the stream): its status travels as trailers, so
        // that the agent's leg ends the stream with them whichever way it is framed
        trailers = new io.netty.handler.codec.http.DefaultHttpHeaders();
        for (String name : List.of("grpc-status", "grpc-message", "grpc-status-details-bin")) {
          String value = full.headers().get(name);
          if (value != null) {
            trailers.set(name, value);
            full.headers().remove(name);
          }
        }
      }
      fromUpstream(new io.netty.handler.codec.http.DefaultHttpResponse(full.protocolVersion(), full.status(),
          full.headers()));
      fromUpstream(new DefaultLastHttpContent(full.content(), trailers));
      return;
    }
    Channel client = ctx().channel();
    if (msg instanceof HttpResponse r) {
      response(r);
    }
    if (msg instanceof HttpContent c) {
      responseContent(c);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
    Channel up = upstream;
    if (up != null && !client.isWritable()) {
      up.config().setAutoRead(false);
    }
  }

  private void response(HttpResponse r) {
    responseStarted = true;
    int code = r.status().code();
    informational = code >= 100 && code < 200 && code != 101;
    switching = code == 101 && upgradeRequested;
    upstreamKeepAlive = HttpUtil.isKeepAlive(r);
    HttpHeaders h = r.headers();
    Headers.stripHopByHop(h, switching);
    Scrubber s = scrubber;
    if (s != null && s.active()) {
      for (Map.Entry<String, String> e : h.entries()) {
        String clean = s.scrub(e.getValue());
        if (!clean.equals(e.getValue())) {
          h.set(e.getKey(), clean);
        }
      }
    }
    if (switching) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
      ctx().write(r);
      return;
    }
    boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r)
        || code == 204 || code == 304 || informational || HttpMethod.HEAD.equals(method);
    closeAfterResponse = !informational && (!clientKeepAlive || !framed);
    if (closeAfterResponse) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    gzipBody = null;
    heldResponse = null;
    if (s != null && s.active() && !informational) {
      String type = String.valueOf(h.get(HttpHeaderNames.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
      String encoding = String.valueOf(h.get(HttpHeaderNames.CONTENT_ENCODING, "identity")).toLowerCase(Locale.ROOT);
      boolean lengthKnown = HttpUtil.isContentLengthSet(r);
      if (type.contains("text/event-stream") || !lengthKnown) {
        scrubber = null; // a stream passes unbuffered and unscrubbed (SECURITY.md)
      } else if (encoding.equals("gzip") && HttpUtil.getContentLength(r, 0L) <= GZIP_SCRUB_LIMIT) {
        gzipBody = ctx().alloc().compositeBuffer(Integer.MAX_VALUE);
        heldResponse = r; // sent once the body is decoded and scrubbed, with its new length
        return;
      } else if (!encoding.equals("identity")) {
        scrubber = null;
      }
    }
    ctx().write(r);
  }

  private void responseContent(HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    Scrubber s = scrubber;
    CompositeByteBuf gz = gzipBody;
    if (gz != null) {
      gz.addComponent(true, c.content().retain());
      c.release();
      if (last) {
        sendScrubbedGzip(gz);
      }
    } else if (s != null && s.active()) {
      ByteBuf out = s.next(c.content(), last, ctx().alloc());
      HttpContent next = last ? new DefaultLastHttpContent(out, ((LastHttpContent) c).trailingHeaders().copy())
          : new DefaultHttpContent(out);
      c.release();
      ctx().write(next);
    } else {
      ctx().write(c);
    }
    if (last) {
      complete();
    }
  }

  private void sendScrubbedGzip(CompositeByteBuf gz) {
    HttpResponse r = heldResponse;
    heldResponse = null;
    gzipBody = null;
    Scrubber s = scrubber;
    if (r == null || s == null) {
      gz.release();
      return;
    }
    byte[] decoded;
    try (GZIPInputStream in = new GZIPInputStream(new ByteBufInputStream(gz.duplicate()))) {
      decoded = in.readNBytes(GZIP_SCRUB_LIMIT * 4);
    } catch (IOException e) {
      decoded = null; // not really gzip: pass it on as it came
    }
    if (decoded != null) {
      byte[] before = decoded.clone();
      s.scrubAll(decoded);
      if (!java.util.Arrays.equals(before, decoded)) {
        gz.release();
        r.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, decoded.length);
        ctx().write(r);
        ctx().write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(decoded)));
        return;
      }
    }
    ctx().write(r);
    ctx().write(new DefaultLastHttpContent(gz));
  }

  void upstreamReadComplete() {
    ctx().flush();
  }

  void upstreamWritabilityChanged(boolean writable) {
    if (!requestDone) {
      ctx().channel().config().setAutoRead(writable);
    }
  }

  /** The response (or an informational one) ended. */
  private void complete() {
    if (informational) {
      informational = false;
      ctx().flush();
      return;
    }
    Channel up = upstream;
    Channel client = ctx().channel();
    if (switching && up != null) {
      switchToRelay(up);
      return;
    }
    upstream = null;
    upstreamReady = false;
    if (up != null) {
      up.pipeline().get(UpstreamHandler.class).detach();
      Authority t = target;
      if (upstreamKeepAlive && requestDone && t != null) {
        state.upstreams.release(up, t, targetTls);
      } else {
        up.close();
      }
    }
    active = false;
    if (client instanceof io.netty.handler.codec.http2.Http2StreamChannel) {
      client.flush(); // the stream ended with the response; the connection carries on
      return;
    }
    if (closeAfterResponse || inputShutdown && backlog.isEmpty()) {
      client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    client.flush();
    client.config().setAutoRead(true);
    drainBacklog();
  }

  private void switchToRelay(Channel up) {
    ChannelHandlerContext c = ctx();
    c.flush();
    up.pipeline().get(UpstreamHandler.class).detach();
    up.pipeline().remove("upstream");
    up.pipeline().remove("idle");
    up.pipeline().remove("http");
    c.pipeline().remove("http");
    c.pipeline().remove(this);
    Relay.join(c.channel(), up);
  }

  void upstreamClosed(@Nullable Throwable cause) {
    Channel up = upstream;
    upstream = null;
    upstreamReady = false;
    if (!active) {
      return;
    }
    if (gzipBody != null) {
      gzipBody.release();
      gzipBody = null;
    }
    if (!responseStarted) {
      Authority t = target;
      refuse(HttpResponseStatus.BAD_GATEWAY, (t == null ? "the upstream" : t.toString()) + " closed the connection"
          + (cause == null ? "" : " (" + oneLine(cause) + ")"), false);
    } else {
      ctx().close(); // the response was cut: the client must see the cut, not a short body
    }
    if (up != null) {
      up.close();
    }
  }

  // ---------------------------------------------------------------------------------------------- refusals

  private void misdirected(@Nullable String host) {
    Authority t = tunnel;
    state.audit.count("proxy_deny", null, null, t == null ? "?" : t.host(), "host_mismatch");
    refuse(HttpResponseStatus.MISDIRECTED_REQUEST, "Host '" + host + "' does not match the CONNECT authority "
        + t + "; open a new connection for another host", false);
  }

  /** Answers the current request ourselves; its body, if any, is read and dropped. */
  private void refuse(HttpResponseStatus status, String text, boolean keepAlive) {
    boolean keep = keepAlive && clientKeepAlive;
    releasePending();
    Responses.send(ctx(), status, text, keep);
    if (!keep) {
      active = false;
      return;
    }
    if (requestDone) {
      finishRefused();
    } else {
      dropping = true;
      ctx().channel().config().setAutoRead(true);
    }
  }

  private void finishRefused() {
    active = false;
    ctx().channel().config().setAutoRead(true);
    drainBacklog();
  }

  private void drainBacklog() {
    while (!backlog.isEmpty() && !(active && requestDone)) {
      handle(backlog.poll());
    }
  }

  private void releasePending() {
    while (!pending.isEmpty()) {
      pending.poll().release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext c) {
    releasePending();
    while (!backlog.isEmpty()) {
      ReferenceCountUtil.release(backlog.poll());
    }
    if (gzipBody != null) {
      gzipBody.release();
      gzipBody = null;
    }
    Channel up = upstream;
    upstream = null;
    if (up != null) {
      up.pipeline().get(UpstreamHandler.class).detach();
      up.close(); // mid-exchange: the connection's state is unknown, never reuse it
    }
    c.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext c, Object evt) {
    if (evt instanceof IdleStateEvent && !active) {
      c.close();
      return;
    }
    if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
      inputShutdown = true;
      if (!active && backlog.isEmpty()) {
        c.close();
      }
      return;
    }
    c.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
    c.close();
  }

  // ---------------------------------------------------------------------------------------------- helpers

  private static @Nullable Authority absoluteAuthority(String uri) {
    try {
      URI u = new URI(uri);
      if (u.getRawAuthority() == null || u.getRawUserInfo() != null) {
        return null;
      }
      return Authority.parse(u.getRawAuthority(), "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String originForm(String uri) {
    int scheme = uri.indexOf("://");
    int slash = uri.indexOf('/', scheme + 3);
    int query = uri.indexOf('?', scheme + 3);
    if (slash < 0 || query >= 0 && query < slash) {
      return "/" + (query >= 0 ? uri.substring(query) : "");
    }
    return uri.substring(slash);
  }

  static String oneLine(@Nullable Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    // the deepest cause says what went wrong (a certificate path, a refused connection); the outer ones wrap it
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (root != t && t.getMessage() != null && !t.getMessage().contains(m)) {
      m = t.getMessage() + ": " + m;
    }
    return m.replaceAll("[\\r\\n]+", " ");
  }
}
