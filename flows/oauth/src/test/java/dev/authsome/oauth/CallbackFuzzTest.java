package dev.authsome.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.id.State;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever arrives at the callback (random query strings, broken escapes, huge values, repeated
 * parameters), the server answers with a 4xx and never completes the login unless the genuine state is presented.
 */
class CallbackFuzzTest {
  private static final String ALPHABET = "abcXYZ019=&%?#+;/:@!$'()*,[]{}<>\"\\ \t~_.-\u00e9\u2603";
  private static final String[] NAMES = {"code", "state", "iss", "error", "error_description", "session_state",
      "response", "x"};

  @Test
  void randomCallbacks_areRejected_andTheLoginStillCompletesWithTheRealOne() throws Exception {
    StringWriter progress = new StringWriter();
    try (LoopbackServer server = LoopbackServer.start(0, new PrintWriter(progress, true))) {
      var pending = server.expectAuthorization(new State("the-real-state"), Optional.empty(), false);
      Random random = new Random(20261127L);
      for (int i = 0; i < 300; i++) {
        String query = randomQuery(random);
        int status = status(server.port(), "/auth/callback/oauth?" + query);
        assertThat(status).as("query %s", query).isBetween(400, 499);
      }
      assertThat(status(server.port(), "/auth/callback/oauth?code=ok&state=the-real-state")).isEqualTo(200);
      assertThat(pending.await(Duration.ofSeconds(5)).getAuthorizationCode().getValue()).isEqualTo("ok");
    }
  }

  /** The same property for a time box (see {@link Fuzz}), reporting the executions. */
  @Test
  void randomCallbacks_forTheFuzzTimeBox_areRejected_andTheLoginStillCompletes() throws Exception {
    StringWriter progress = new StringWriter();
    try (LoopbackServer server = LoopbackServer.start(0, new PrintWriter(progress, true))) {
      var pending = server.expectAuthorization(new State("the-real-state"), Optional.empty(), false);
      long n = Fuzz.run("callback query", random -> {
        String query = randomQuery(random);
        try {
          assertThat(status(server.port(), "/auth/callback/oauth?" + query)).as("query %s", query)
              .isBetween(400, 499);
        } catch (IOException e) {
          throw new AssertionError("callback with a query of " + query.length() + " characters: " + e, e);
        }
      });
      assertThat(n).isPositive();
      assertThat(progress.toString()).doesNotContainPattern("[\\x00-\\x08\\x0b-\\x1f\\x7f]");
      assertThat(status(server.port(), "/auth/callback/oauth?code=ok&state=the-real-state")).isEqualTo(200);
      assertThat(pending.await(Duration.ofSeconds(5)).getAuthorizationCode().getValue()).isEqualTo("ok");
    }
  }

  private static String randomQuery(Random random) {
    StringBuilder q = new StringBuilder();
    int params = random.nextInt(6);
    for (int p = 0; p < params; p++) {
      if (p > 0) {
        q.append('&');
      }
      q.append(NAMES[random.nextInt(NAMES.length)]).append('=');
      int length = random.nextInt(random.nextInt(10) == 0 ? 3000 : 40);
      for (int c = 0; c < length; c++) {
        char ch = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        // raw bytes a browser would never send unescaped are percent-encoded; the rest go as they are
        q.append(ch == ' ' || ch == '#' || ch > 126 || ch < 33 ? "%" + String.format("%02X", (int) ch & 0xff)
            : String.valueOf(ch));
      }
    }
    // never the genuine state: the property is about everything else
    return q.toString().replace("the-real-state", "not-the-state");
  }

  private static int status(int port, String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.getInputStream().transferTo(buf);
      } catch (java.net.SocketException reset) {
        // an oversized request is refused and closed before the server reads all of it, so its answer can be lost
        // to a reset; that is a refusal too (the test then checks the server still serves the genuine callback)
        if (target.length() <= 4096) {
          throw reset;
        }
        if (buf.size() < 12) {
          return 431;
        }
      }
      String head = buf.toString(StandardCharsets.ISO_8859_1);
      return Integer.parseInt(head.substring(9, 12));
    }
  }

}
