package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.core.Secret;
import dev.authsome.oauth.spi.OAuthQuirks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EnvironmentProxyTest {

  @Test
  void select_usesHttpsProxyForHttpsAndHttpProxyForHttp_exceptNoProxyHosts() {
    EnvironmentProxy proxy = EnvironmentProxy.from("http://corp-proxy:3128", "proxy.local:8080",
        "internal.example, .corp.example,localhost:7998");

    assertThat(address(proxy.select(URI.create("https://api.github.com/x")))).isEqualTo("corp-proxy:3128");
    assertThat(address(proxy.select(URI.create("http://api.github.com/x")))).isEqualTo("proxy.local:8080");
    assertThat(proxy.select(URI.create("https://internal.example/token"))).isEqualTo(Proxy.NO_PROXY);
    assertThat(proxy.select(URI.create("https://sso.internal.example/token"))).isEqualTo(Proxy.NO_PROXY);
    assertThat(proxy.select(URI.create("https://a.corp.example/"))).isEqualTo(Proxy.NO_PROXY);
    assertThat(proxy.select(URI.create("http://localhost:7998/"))).isEqualTo(Proxy.NO_PROXY);
    assertThat(address(proxy.select(URI.create("https://notinternal.example/")))).isEqualTo("corp-proxy:3128");
    assertThat(EnvironmentProxy.from("http://p:1", null, "*").select(URI.create("https://x/")))
        .isEqualTo(Proxy.NO_PROXY);
    assertThat(EnvironmentProxy.DIRECT.select(URI.create("https://x/"))).isEqualTo(Proxy.NO_PROXY);
  }

  @Test
  void settings_fromEnvironment_readUpperAndLowerCaseNames() {
    OAuthSettings s = OAuthSettings.from(java.util.Map.of(), java.util.Map.of("https_proxy", "http://p:9",
        "NO_PROXY", "a.example", "AUTHSOME_CALLBACK_PORT", "8111", "BROWSER", "w3m"), java.time.Duration.ofSeconds(5));

    assertThat(s.callbackPort()).isEqualTo(8111);
    assertThat(s.browser()).contains("w3m");
    assertThat(address(s.proxy().select(URI.create("https://b.example/")))).isEqualTo("p:9");
    assertThat(s.proxy().select(URI.create("https://a.example/"))).isEqualTo(Proxy.NO_PROXY);
    assertThat(OAuthSettings.from(java.util.Map.of(), java.util.Map.of(), java.time.Duration.ofSeconds(5))
        .callbackPort()).isEqualTo(7998);
  }

  @Test
  void tokenRequest_goesThroughTheProxyTheEnvironmentNames() throws Exception {
    List<String> requestLines = new CopyOnWriteArrayList<>();
    try (ServerSocket proxyServer = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread t = new Thread(() -> serveOne(proxyServer, requestLines));
      t.setDaemon(true);
      t.start();
      EnvironmentProxy env = EnvironmentProxy.from(null, "http://127.0.0.1:" + proxyServer.getLocalPort(), null);
      ClientConfig client = new ClientConfig("cid", Optional.of(Secret.of("sec")),
          com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);

      TokenSet tokens = new TokenEndpoint(new OAuthHttp(env), OAuthQuirks.NONE).exchange(
          client.tokenRequest(URI.create("http://auth.example.test/token"), new ClientCredentialsGrant()).build(),
          ErrorCode.AUTHENTICATION_FAILED, "test");

      assertThat(tokens.accessToken()).isEqualTo("via-proxy");
      assertThat(requestLines).containsExactly("POST http://auth.example.test/token HTTP/1.1");
    }
  }

  @Test
  void tokenRequest_toANoProxyHost_goesDirect() {
    EnvironmentProxy env = EnvironmentProxy.from(null, "http://127.0.0.1:9", "auth.example.test");
    ClientConfig client = new ClientConfig("cid", Optional.of(Secret.of("sec")),
        com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_POST);

    // Direct means resolving auth.example.test, which does not exist: the error names the endpoint, not the proxy.
    assertThatThrownBy(() -> new TokenEndpoint(new OAuthHttp(env), OAuthQuirks.NONE).exchange(
        client.tokenRequest(URI.create("http://auth.example.test/token"), new ClientCredentialsGrant()).build(),
        ErrorCode.AUTHENTICATION_FAILED, "test"))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> {
          assertThat(e.getMessage()).contains("cannot reach the token endpoint http://auth.example.test/token");
          assertThat(e.getMessage()).containsAnyOf("UnknownHost", "auth.example.test");
        });
  }

  private static void serveOne(ServerSocket server, List<String> requestLines) {
    try (Socket s = server.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      requestLines.add(in.readLine());
      int length = 0;
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      in.skip(length);
      byte[] body = "{\"access_token\":\"via-proxy\",\"token_type\":\"Bearer\"}".getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // the test's assertions report what went wrong
    }
  }

  private static String address(Proxy proxy) {
    InetSocketAddress a = (InetSocketAddress) proxy.address();
    return a.getHostString() + ":" + a.getPort();
  }
}
