package dev.authsome.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TlsProvidersTest {
  /** Plays a server's own CA, such as a corporate one: the upstream leg trusts it only through the extra file. */
  private final CertificateAuthority upstreamCa = CertificateAuthority.ephemeral(
      new TreeSet<>(Set.of("upstream.test")), Clock.systemUTC());

  static Stream<TlsProviders> providers() {
    return LeafContextsTest.providers();
  }

  @Test
  void detect_findsConscryptHere_withoutWarning() {
    List<String> warnings = new ArrayList<>();
    TlsProviders tls = TlsProviders.detect(warnings::add);
    // Linux x86_64 and aarch64 ship Conscrypt's natives; elsewhere one warning line must say why it fell back
    if (tls.name().equals("Conscrypt")) {
      assertThat(warnings).isEmpty();
    } else {
      assertThat(warnings).hasSize(1).allSatisfy(w -> assertThat(w).contains("Conscrypt").doesNotContain("\n"));
    }
    assertThat(TlsProviders.jdk().name()).isEqualTo("JDK");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void upstreamContext_verifiesAgainstTheExtraCaFile_andRefusesAHostnameMismatch(TlsProviders tls, @TempDir Path dir)
      throws Exception {
    Path extra = dir.resolve("corporate.pem");
    // a file with a key and another certificate beside the root, as bundles often are
    Files.writeString(extra, "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
        + "-----END PRIVATE KEY-----\n" + Pem.encode(List.of(
            CertificateAuthority.ephemeral(new TreeSet<>(Set.of("x.test")), Clock.systemUTC()).rootCertificate(),
            upstreamCa.rootCertificate())));
    SslContext server = tls.serverContext(upstreamCa.issue("upstream.test"), List.of("http/1.1"));
    try (TlsTestServer upstream = new TlsTestServer(() -> server.newHandler(
        io.netty.buffer.ByteBufAllocator.DEFAULT))) {
      SslContext withExtra = tls.upstreamContext(Optional.of(extra), List.of("http/1.1"));
      Future<Channel> ok = upstream.handshake(withExtra, "upstream.test");
      assertThat(ok.cause()).isNull();
      assertThat(ok.isSuccess()).isTrue();

      Future<Channel> mismatch = upstream.handshake(withExtra, "other.test");
      assertThat(mismatch.isSuccess()).isFalse();
      assertThat(causes(mismatch.cause())).containsPattern("(?i)other\\.test|subjectAltName|hostname");

      Future<Channel> untrusted = upstream.handshake(tls.upstreamContext(Optional.empty(), List.of("http/1.1")),
          "upstream.test");
      assertThat(untrusted.isSuccess()).isFalse();
    }
  }

  @Test
  void upstreamContext_neverTrustsTheProxysOwnCa_orAnyServerNotRootedInTheSystemOrExtraFile() throws Exception {
    CertificateAuthority ours = CertificateAuthority.ephemeral(new TreeSet<>(Set.of("api.example.test")),
        Clock.systemUTC());
    TlsProviders tls = TlsProviders.jdk();
    SslContext server = tls.serverContext(ours.issue("api.example.test"), List.of());
    try (TlsTestServer loop = new TlsTestServer(() -> server.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT))) {
      assertThat(loop.handshake(tls.upstreamContext(Optional.empty(), List.of()), "api.example.test").isSuccess())
          .isFalse();
    }
  }

  @Test
  void upstreamContext_refusesAnExtraFileWithoutCertificates_namingIt(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    assertThatThrownBy(() -> TlsProviders.jdk().upstreamContext(Optional.of(empty), List.of()))
        .isInstanceOf(AuthsomeException.class).hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> TlsProviders.jdk().upstreamContext(Optional.of(dir.resolve("missing.pem")), List.of()))
        .isInstanceOf(AuthsomeException.class).hasMessageContaining("missing.pem");
  }

  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append(" | ");
    }
    return all.toString();
  }
}
