package dev.authsome.dist;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The provider's API as the proxy's upstream: one HTTPS listener (a certificate for every test name, from
 * {@link TestPki}) and one plain HTTP listener, both on loopback. Every request is recorded with the credential it
 * carried, and the response echoes that credential back, the way some APIs echo a key in an error message: the
 * proxy must scrub it before the agent sees it.
 */
final class UpstreamServer implements AutoCloseable {
  /** One request as the server saw it. */
  record Seen(String scheme, String host, String path, String authorization) {
  }

  private final HttpsServer https;
  private final HttpServer http;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  UpstreamServer(SSLContext tls) {
    try {
      InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      https.createContext("/", e -> handle("https", e));
      https.setExecutor(Executors.newCachedThreadPool(daemon("upstream-https")));
      https.start();
      http = HttpServer.create(loopback, 0);
      http.createContext("/", e -> handle("http", e));
      http.setExecutor(Executors.newCachedThreadPool(daemon("upstream-http")));
      http.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int httpsPort() {
    return https.getAddress().getPort();
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  /** The requests seen so far whose path starts with {@code prefix}. */
  List<Seen> seen(String prefix) {
    List<Seen> out = new ArrayList<>();
    for (Seen s : seen) {
      if (s.path().startsWith(prefix)) {
        out.add(s);
      }
    }
    return out;
  }

  private void handle(String scheme, HttpExchange e) throws IOException {
    try (e) {
      String host = String.valueOf(e.getRequestHeaders().getFirst("Host"));
      String authorization = String.valueOf(e.getRequestHeaders().getFirst("Authorization"));
      seen.add(new Seen(scheme, host, e.getRequestURI().getPath(), authorization));
      byte[] body = ("{\"scheme\":\"" + scheme + "\",\"host\":\"" + json(host) + "\",\"authorization\":\""
          + json(authorization) + "\"}").getBytes(StandardCharsets.UTF_8);
      e.getResponseHeaders().set("Content-Type", "application/json");
      e.sendResponseHeaders(200, body.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    https.stop(0);
    http.stop(0);
  }
}
