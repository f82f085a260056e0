package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.proxy.tls.Pem;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Time-boxed fuzzing of what the proxy parses from an agent (see {@link Fuzz}): the request head (the same codec
 * settings as the engine, then {@link Authority} and the Host check), header hygiene ({@link Headers}), and the PEM
 * trust bundles it reads ({@link Pem}).
 */
class ProxyParserFuzzTest {
  private static final String AUTHORITY_CHARS = "abcAZ09.-_:[]%@/\\ \t#?*$,;'\"\u0000\u00e9\u0430";

  @Test
  void authorities_parseToAValidHostAndPort_orToNothing() {
    long n = Fuzz.run("proxy Authority", random -> {
      StringBuilder s = new StringBuilder();
      int len = random.nextInt(random.nextInt(20) == 0 ? 400 : 30);
      for (int i = 0; i < len; i++) {
        s.append(AUTHORITY_CHARS.charAt(random.nextInt(AUTHORITY_CHARS.length())));
      }
      if (random.nextBoolean()) {
        s.append(':').append(random.nextInt(70_000) - 1000);
      }
      Authority a = Authority.parse(s.toString(), random.nextBoolean() ? 443 : -1);
      if (a != null) {
        assertThat(a.port()).isBetween(1, 65_535);
        assertThat(a.host()).matches("[a-z0-9._:%-]+").doesNotEndWith(".");
        if (a.host().indexOf('%') >= 0) {
          assertThat(a.host()).contains(":");
        }
        assertThat(Authority.parse(a.toString(), -1)).isEqualTo(a);
        assertThat(a.sameAs(a.hostHeader(true), true)).isTrue();
      }
    });
    assertThat(n).isPositive();
  }

  @Test
  void requestHeads_decodeOrFail_andNoProxyHeaderSurvivesHygiene() {
    String[] methods = {"GET", "CONNECT", "POST", "G T", "", "get", "PRI"};
    String[] targets = {"http://api.x.test/a", "api.x.test:443", "/", "*", "https://a/", "http://[::1]:80/",
        "http://a%00b/", "http://" + "a".repeat(300) + "/"};
    String[] names = {"Host", "Proxy-Authorization", "Proxy-Connection", "Connection", "Keep-Alive", "TE",
        "Transfer-Encoding", "Content-Length", "Upgrade", "X-A", "proxy-x", "Authorization", "Host "};
    String[] values = {"api.x.test", "keep-alive, X-A", "close", "chunked", "0", "-1", "trailers", "a\tb", "",
        "proxy-authorization", "upgrade", "\u00ff", "1, 2"};
    long n = Fuzz.run("proxy request head", random -> {
      StringBuilder head = new StringBuilder();
      head.append(methods[random.nextInt(methods.length)]).append(' ').append(targets[random.nextInt(targets.length)])
          .append(random.nextInt(10) == 0 ? " HTTP/1.0" : " HTTP/1.1").append("\r\n");
      for (int i = 0; i < random.nextInt(8); i++) {
        head.append(names[random.nextInt(names.length)]).append(random.nextInt(15) == 0 ? "" : ": ")
            .append(values[random.nextInt(values.length)]).append(random.nextInt(20) == 0 ? "\r" : "\r\n");
      }
      head.append("\r\n");
      byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      if (random.nextInt(4) == 0) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(8192, 32 * 1024, 64 * 1024));
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        Object msg;
        while ((msg = ch.readInbound()) != null) {
          try {
            if (msg instanceof HttpRequest req && req.decoderResult().isSuccess()) {
              Authority.parse(req.uri(), 443);
              String host = req.headers().get(HttpHeaderNames.HOST);
              Authority.parse(host == null ? "" : host, 443);
              HttpHeaders h = new DefaultHttpHeaders().add(req.headers());
              Headers.stripHopByHop(h, random.nextBoolean());
              for (var e : h) {
                assertThat(e.getKey().toLowerCase(Locale.ROOT)).doesNotStartWith("proxy-")
                    .isNotEqualTo("connection").isNotEqualTo("keep-alive");
              }
            }
          } finally {
            ReferenceCountUtil.release(msg);
          }
        }
      } finally {
        ch.finishAndReleaseAll();
      }
    });
    assertThat(n).isPositive();
  }

  @Test
  void trustBundles_yieldTheirIntactCertificates_andNeverThrow() throws Exception {
    var ca = dev.authsome.proxy.tls.CertificateAuthority.ephemeral(new TreeSet<>(List.of("a.test")),
        Clock.systemUTC());
    String one = Pem.encode(ca.rootCertificate());
    String bundle = one + "garbage between\n" + one.replace("\n", "\r\n") + "-----BEGIN PRIVATE KEY-----\nAAAA\n"
        + "-----END PRIVATE KEY-----\n";
    long n = Fuzz.run("PEM trust bundle", random -> {
      String text = new String(ParserMutations.mutate(bundle.getBytes(StandardCharsets.US_ASCII), random),
          StandardCharsets.UTF_8);
      var certs = Pem.certificates(text);
      // never more certificates than intact BEGIN/END CERTIFICATE pairs, and never the private key block (a
      // mutated block may still decode, to a certificate whose self-signature no longer holds: PKIX ignores an
      // anchor's own signature, so such a certificate is only as trusted as the file the user chose to trust)
      int blocks = text.split("-----END CERTIFICATE-----", -1).length - 1;
      assertThat(certs.size()).isLessThanOrEqualTo(Math.min(2, blocks));
    });
    assertThat(n).isPositive();
  }

  /** Byte-level mutations, as in core's fuzz tests. */
  static final class ParserMutations {
    private ParserMutations() {
    }

    static byte[] mutate(byte[] input, Random random) {
      StringBuilder s = new StringBuilder(new String(input, StandardCharsets.UTF_8));
      for (int e = 0; e < 1 + random.nextInt(6) && s.length() > 0; e++) {
        int at = random.nextInt(s.length());
        switch (random.nextInt(5)) {
          case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(30)));
          case 1 -> s.insert(at, "-=+/ \n\r\u0000A".charAt(random.nextInt(9)));
          case 2 -> s.setCharAt(at, (char) (32 + random.nextInt(95)));
          case 3 -> s.insert(random.nextInt(s.length()), s.substring(at, Math.min(s.length(), at + random.nextInt(80))));
          default -> s.setLength(at);
        }
      }
      return s.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
