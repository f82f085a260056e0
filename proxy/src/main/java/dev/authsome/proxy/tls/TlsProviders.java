package dev.authsome.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.conscrypt.Conscrypt;
import org.jspecify.annotations.Nullable;

/**
 * Which TLS implementation the proxy's Netty contexts use: Conscrypt (BoringSSL, much faster handshakes) when its
 * native library loads, else the JDK's own. Conscrypt is passed to each context ({@code SslProvider.JDK} +
 * {@code sslContextProvider}) and never inserted first in the JVM's provider list, which breaks the JDK's own TLS
 * (google/conscrypt#835).
 */
public final class TlsProviders {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final @Nullable Provider conscrypt;

  private TlsProviders(@Nullable Provider conscrypt) {
    this.conscrypt = conscrypt;
  }

  /**
   * Conscrypt if it loads; otherwise the JDK, with one line to {@code warnings} saying so and why (a noexec temp
   * folder or an unsupported platform), because a silent fallback hides a large slowdown.
   */
  public static TlsProviders detect(Consumer<String> warnings) {
    requireNonNull(warnings, "warnings");
    try {
      if (!Conscrypt.isAvailable()) {
        Conscrypt.checkAvailability(); // throws with the reason
      }
      Provider provider = Conscrypt.newProvider();
      SSLContext.getInstance("TLS", provider); // proves the native side works before anyone relies on it
      return new TlsProviders(provider);
    } catch (Exception | LinkageError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String reason = (cause.getClass().getSimpleName() + ": " + cause.getMessage()).replaceAll("\\s+", " ");
      warnings.accept("Conscrypt is unavailable (" + reason + "); the proxy uses the JDK's slower TLS instead."
          + " If the temp folder is noexec, set -Dorg.conscrypt.native.workdir to a folder that allows execution.");
      return jdk();
    }
  }

  /** The JDK's TLS, never Conscrypt (tests, and an explicit fallback). */
  public static TlsProviders jdk() {
    return new TlsProviders(null);
  }

  /** {@code "Conscrypt"} or {@code "JDK"}, for the startup log line. */
  public String name() {
    return conscrypt != null ? "Conscrypt" : "JDK";
  }

  /** The agent-facing server context presenting {@code cert}, offering exactly {@code alpn} (none when empty). */
  public SslContext serverContext(IssuedCertificate cert, List<String> alpn) {
    requireNonNull(cert, "cert");
    if (conscrypt != null && !alpn.isEmpty()) {
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "leaf".toCharArray(); // in memory only: the store never leaves this method
        ks.setKeyEntry("leaf", cert.key(), pw, cert.chain().toArray(new java.security.cert.Certificate[0]));
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext raw = SSLContext.getInstance("TLS", conscrypt);
        raw.init(kmf.getKeyManagers(), null, null);
        return new io.netty.handler.ssl.JdkSslContext(NullSafeAlpn.wrap(raw), false, null,
            io.netty.handler.ssl.IdentityCipherSuiteFilter.INSTANCE, alpnConfig(alpn),
            io.netty.handler.ssl.ClientAuth.NONE, PROTOCOLS, false);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot build the TLS server context for " + cert + ": " + e.getMessage(),
            e);
      }
    }
    try {
      return SslContextBuilder.forServer(cert.key(), cert.chain())
          .sslProvider(SslProvider.JDK)
          .sslContextProvider(conscrypt)
          .protocols(PROTOCOLS)
          .applicationProtocolConfig(alpnConfig(alpn))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS server context for " + cert + ": " + e.getMessage(), e);
    }
  }

  /**
   * The upstream client context: trusts the system roots (the JDK's default trust store and the OS bundle) plus the
   * certificates in {@code extraCaFile}, and never our own CA; TLS 1.2 or newer; the hostname is verified, so create
   * handlers with {@code newHandler(alloc, host, port)}.
   *
   * @throws AuthsomeException when {@code extraCaFile} cannot be read or holds no certificate
   */
  public SslContext upstreamContext(Optional<Path> extraCaFile, List<String> alpn) {
    requireNonNull(extraCaFile, "extraCaFile");
    List<X509Certificate> roots = new ArrayList<>(SystemRoots.all());
    extraCaFile.ifPresent(file -> roots.addAll(readExtra(file)));
    if (conscrypt != null && !alpn.isEmpty()) {
      try {
        SSLContext raw = SSLContext.getInstance("TLS", conscrypt);
        raw.init(null, trustManagers(Pem.distinct(roots)).getTrustManagers(), null);
        SslContext ctx = new io.netty.handler.ssl.JdkSslContext(NullSafeAlpn.wrap(raw), true, null,
            io.netty.handler.ssl.IdentityCipherSuiteFilter.INSTANCE, alpnConfig(alpn),
            io.netty.handler.ssl.ClientAuth.NONE, PROTOCOLS, false);
        return new io.netty.handler.ssl.DelegatingSslContext(ctx) {
          @Override
          protected void initEngine(javax.net.ssl.SSLEngine engine) {
            // the hostname is verified here, as the builder's endpointIdentificationAlgorithm("HTTPS") does
            javax.net.ssl.SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
          }
        };
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot build the upstream TLS context: " + e.getMessage(), e);
      }
    }
    try {
      return SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .sslContextProvider(conscrypt)
          .trustManager(trustManagers(Pem.distinct(roots)))
          .protocols(PROTOCOLS)
          .endpointIdentificationAlgorithm("HTTPS")
          .applicationProtocolConfig(alpnConfig(alpn))
          .build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the upstream TLS context: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> readExtra(Path file) {
    List<X509Certificate> extra;
    try {
      extra = Pem.read(file);
    } catch (IOException e) {
      throw AuthsomeException.usage("Cannot read the upstream CA file '" + file + "': " + e.getMessage()
          + "; fix proxy.upstream_ca_file or AUTHSOME_UPSTREAM_CA_FILE.");
    }
    if (extra.isEmpty()) {
      throw AuthsomeException.usage("The upstream CA file '" + file + "' holds no PEM certificate;"
          + " fix proxy.upstream_ca_file or AUTHSOME_UPSTREAM_CA_FILE.");
    }
    return extra;
  }

  private TrustManagerFactory trustManagers(List<X509Certificate> roots)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (X509Certificate root : roots) {
      store.setCertificateEntry("root-" + i++, root);
    }
    // a Conscrypt engine needs Conscrypt's own PKIX trust manager: the JDK's fails TLS 1.3 ("Unknown authType")
    TrustManagerFactory tmf = conscrypt != null
        ? TrustManagerFactory.getInstance("PKIX", conscrypt)
        : TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf;
  }

  private static ApplicationProtocolConfig alpnConfig(List<String> alpn) {
    List<String> protocols = List.copyOf(requireNonNull(alpn, "alpn"));
    if (protocols.isEmpty()) {
      return ApplicationProtocolConfig.DISABLED;
    }
    return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
        // the server picks only what both sides offer; a client that offers nothing we speak gets no ALPN at all
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
  }

  @Override
  public String toString() {
    return "TlsProviders[" + name() + "]";
  }
}
