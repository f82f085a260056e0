package dev.authsome.proxy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent against a real (tiny) proxy that demands Basic credentials: HttpURLConnection, plain and tunnelled,
 * gets through once the agent is installed, and the authenticator answers nobody but that proxy.
 */
class ProxyCredentialAgentTest {
  static final String PASSWORD = "per-run:credential/42";
  static ServerSocket proxy;
  static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void startProxyAndInstall() throws IOException {
    proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(ProxyCredentialAgentTest::serve, "fake-proxy");
    t.setDaemon(true);
    t.start();
    String encoded = PASSWORD.replace(":", "%3A").replace("/", "%2F");
    Authenticator installed = ProxyCredentialAgent.install(
        Map.of("AUTHSOME_PROXY_URL", "http://authsome:" + encoded + "@127.0.0.1:" + proxy.getLocalPort()));
    assertThat(installed).isNotNull();
  }

  @AfterAll
  static void stop() throws IOException {
    proxy.close();
  }

  @Test
  void plainRequest_throughTheProxy_answersThe407WithTheProxyCredential() throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL("http://api.agent-test.test/x").openConnection(proxyOf());
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(seen).contains("GET " + basic());
  }

  @Test
  void httpsTunnel_sendsBasicOnTheConnect_whichTheJdkDisablesByDefault() {
    HttpURLConnection c;
    try {
      c = (HttpURLConnection) new URL("https://api.agent-test.test/x").openConnection(proxyOf());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    // the fake proxy closes the tunnel right after accepting it: TLS fails, but the CONNECT carried the credential
    assertThatThrownBy(c::getResponseCode).isInstanceOf(IOException.class);
    assertThat(seen).contains("CONNECT " + basic());
  }

  @Test
  void otherHostsPortsAndServerChallenges_getNoCredential() throws Exception {
    int port = proxy.getLocalPort();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    assertThat(Authenticator.requestPasswordAuthentication("127.0.0.1", loopback, port, "http", "realm", "Basic",
        null, Authenticator.RequestorType.PROXY)).isNotNull();
    assertThat(Authenticator.requestPasswordAuthentication("127.0.0.1", loopback, port + 1, "http", "realm",
        "Basic", null, Authenticator.RequestorType.PROXY)).isNull();
    assertThat(Authenticator.requestPasswordAuthentication("proxy.example.test", InetAddress.getByName("10.0.0.1"),
        port, "http", "realm", "Basic", null, Authenticator.RequestorType.PROXY)).isNull();
    assertThat(Authenticator.requestPasswordAuthentication("127.0.0.1", loopback, port, "http", "realm", "Basic",
        new URL("http://127.0.0.1:" + port + "/"), Authenticator.RequestorType.SERVER)).isNull();
    PasswordAuthentication pa = Authenticator.requestPasswordAuthentication("127.0.0.1", loopback, port, "http", "r",
        "Basic", null, Authenticator.RequestorType.PROXY);
    assertThat(pa.getUserName()).isEqualTo("authsome");
    assertThat(new String(pa.getPassword())).isEqualTo(PASSWORD);
  }

  @Test
  void withoutAProxyUrlWithCredentials_thereIsNothingToInstall() {
    assertThat(ProxyCredentialAgent.forEnvironment(Map.of())).isNull();
    assertThat(ProxyCredentialAgent.forEnvironment(Map.of("HTTPS_PROXY", "http://127.0.0.1:3128"))).isNull();
    assertThat(ProxyCredentialAgent.forEnvironment(Map.of("https_proxy", "http://u:p@127.0.0.1:3128"))).isNotNull();
  }

  private static Proxy proxyOf() {
    return new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", proxy.getLocalPort()));
  }

  private static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("authsome:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  /** One request per connection: 407 without Proxy-Authorization, else 200 (and, for CONNECT, close the tunnel). */
  private static void serve() {
    while (!proxy.isClosed()) {
      try (Socket s = proxy.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        String auth = null;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          if (line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
            auth = line.substring(20).trim();
          }
        }
        String method = requestLine == null ? "" : requestLine.split(" ")[0];
        OutputStream out = s.getOutputStream();
        if (auth == null) {
          out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"authsome\"\r\n"
              + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } else {
          seen.add(method + " " + auth);
          String body = method.equals("CONNECT") ? "" : "ok";
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
              .getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
      } catch (IOException e) {
        // next connection
      }
    }
  }
}
