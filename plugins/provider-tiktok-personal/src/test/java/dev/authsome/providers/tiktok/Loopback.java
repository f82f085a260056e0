package dev.authsome.providers.tiktok;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authsome.core.ProviderDefinition;
import dev.authsome.core.ResolvedProvider;
import dev.authsome.oauth.spi.OAuthQuirks;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test support: a loopback HTTP server standing in for the vendor (it records every request it gets), and the
 * provider's plugin jar as built, loaded through the real plugin host from a temporary home.
 */
final class Loopback implements AutoCloseable {
  final HttpServer server;
  final String base;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final PluginHost host;

  Loopback(Path home) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    Path jar = Path.of(System.getProperty("authsome.provider.jar"));
    Files.createDirectories(home.resolve("plugins"));
    Files.copy(jar, home.resolve("plugins").resolve(jar.getFileName()));
    host = PluginHost.open(PluginHostConfig.of(home, null));
  }

  /** Records {@code METHOD path [Authorization] [Content-Type] body} and returns the body. */
  String record(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
        + (auth == null ? "" : " [" + auth + "]") + (type == null ? "" : " [" + type + "]") + " " + body);
    return body;
  }

  static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    if (status != 204) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  /** The provider's definition from the jar, every OAuth URL moved to this server (same paths). */
  ProviderDefinition definition(String name) {
    ResolvedProvider resolved = host.catalogue().find(name).orElseThrow();
    if (!resolved.origin().endsWith(".jar")) {
      throw new AssertionError("not from the jar: " + resolved.origin());
    }
    ProviderDefinition d = resolved.definition();
    ProviderDefinition.OAuthConfig o = d.oauth();
    return new ProviderDefinition(d.schemaVersion(), d.name(), d.displayName(), d.description(), d.logo(),
        d.docsUrl(), d.authType(), d.flow(), new ProviderDefinition.OAuthConfig(move(o.authorizationUrl()),
        move(o.tokenUrl()), move(o.revocationUrl()), move(o.deviceAuthorizationUrl()), null, null, null,
        o.deviceTokenRequest(), o.scopes(), null, o.pkce(), o.supportsDeviceFlow(), o.supportsDcr(),
        o.tokenEndpointAuthMethod(), o.authorizeParams(), o.extra()), d.apiKey(), d.export(), d.apiUrls(),
        d.metadata(), d.extra());
  }

  OAuthQuirks quirks(String name) {
    return host.catalogue().extension(name, OAuthQuirks.class).orElseThrow();
  }

  private String move(String url) {
    if (url == null) {
      return null;
    }
    URI uri = URI.create(url);
    return base + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  void start() {
    server.start();
  }

  @Override
  public void close() {
    host.close();
    server.stop(0);
  }
}
