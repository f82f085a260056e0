package dev.authsome.proxy.engine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.IssuedCertificate;
import dev.authsome.proxy.tls.Pem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server (the JDK's) standing in for a provider's API on {@code .test} names, with a certificate from
 * its own CA (unrelated to authsome's). It records the Authorization header of every request, and echoes it in the
 * body and a header on {@code /echo}, the way a debugging endpoint would; {@code /sse} streams two events a second
 * apart.
 */
final class TestUpstream implements AutoCloseable {
  final HttpsServer server;
  /** The same handler over plain HTTP, for requests that must never carry a credential. */
  final com.sun.net.httpserver.HttpServer plain;
  final Path caFile;
  final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
  /** Released by a test once its agent has the first event of /sse; the server then sends the second. */
  final java.util.concurrent.CountDownLatch sseSecondEvent = new java.util.concurrent.CountDownLatch(1);
  final List<String> seenHost = new CopyOnWriteArrayList<>();
  /** Method and path of every request that reached this server (request smuggling would show up here). */
  final List<String> seenRequests = new CopyOnWriteArrayList<>();

  TestUpstream(Path dir, String... hosts) throws Exception {
    CertificateAuthority ca = CertificateAuthority.ephemeral(new TreeSet<>(List.of(hosts)), Clock.systemUTC());
    IssuedCertificate leaf = ca.issue(hosts[0]);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    Certificate[] chain = leaf.chain().toArray(new Certificate[0]);
    ks.setKeyEntry("leaf", leaf.key(), "pw".toCharArray(), chain);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
    plain = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    plain.setExecutor(Executors.newCachedThreadPool());
    plain.createContext("/", this::handle);
    plain.start();
    caFile = dir.resolve("upstream-ca-" + hosts[0] + ".pem");
    Files.writeString(caFile, Pem.encode(ca.rootCertificate()));
  }

  int plainPort() {
    return plain.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange x) throws IOException {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    seenAuthorization.add(auth == null ? "<none>" : auth);
    seenHost.add(String.valueOf(x.getRequestHeaders().getFirst("Host")));
    seenRequests.add(x.getRequestMethod() + " " + x.getRequestURI().getRawPath());
    x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getPath();
    if (path.startsWith("/sse")) {
      x.getResponseHeaders().set("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      try (OutputStream out = x.getResponseBody()) {
        out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
          sseSecondEvent.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
 if (path.startsWith("/gzip-echo")) {
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
        gz.write(("{\"authorization\":\"" + auth + "\"}").getBytes(StandardCharsets.UTF_8));
      }
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.getResponseHeaders().set("Content-Encoding", "gzip");
      x.sendResponseHeaders(200, zipped.size());
      try (OutputStream out = x.getResponseBody()) {
        out.write(zipped.toByteArray());
      }
      return;
    }
    byte[] body = ("you sent: " + (auth == null ? "<none>" : auth) + "\n").getBytes(StandardCharsets.UTF_8);
    if (path.startsWith("/echo")) {
      x.getResponseHeaders().set("X-Echo", auth == null ? "<none>" : auth);
    }
    x.getResponseHeaders().set("Content-Type", "text/plain");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    plain.stop(0);
  }
}
