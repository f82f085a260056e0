package dev.authsome.proxy.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The roots this machine trusts: the OS bundle that OpenSSL-based tools read, and the JDK's default trust store.
 * Read once per process; a run that lasts a day does not need roots added to the OS meanwhile.
 */
public final class SystemRoots {
  /** Where the common distributions keep their bundle (Debian/Ubuntu, Fedora/RHEL, Alpine/macOS, SUSE, Homebrew). */
  static final List<Path> OS_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
      Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/cert.pem"), Path.of("/etc/ssl/ca-bundle.pem"),
      Path.of("/usr/local/etc/openssl/cert.pem"));

  private SystemRoots() {}

  /** The first OS bundle file that exists. */
  public static Optional<Path> osBundle() {
    return OS_BUNDLES.stream().filter(Files::isRegularFile).findFirst();
  }

  /** The certificates of the OS bundle, empty when there is none or it cannot be read. */
  public static List<X509Certificate> osBundleCertificates() {
    return Holder.OS;
  }

  /** The JDK's default trust store ({@code cacerts}, or what {@code javax.net.ssl.trustStore} names). */
  public static List<X509Certificate> jdkDefault() {
    return Holder.JDK;
  }

  /** The OS bundle and the JDK's roots together, without repeats. */
  public static List<X509Certificate> all() {
    List<X509Certificate> all = new ArrayList<>(osBundleCertificates());
    all.addAll(jdkDefault());
    return Pem.distinct(all);
  }

  private static final class Holder {
    static final List<X509Certificate> OS = loadOs();
    static final List<X509Certificate> JDK = loadJdk();

    private static List<X509Certificate> loadOs() {
      return osBundle().map(file -> {
        try {
          return Pem.read(file);
        } catch (IOException e) {
          return List.<X509Certificate>of(); // unreadable counts as absent; the JDK roots still apply
        }
      }).orElse(List.of());
    }

    private static List<X509Certificate> loadJdk() {
      try {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        List<X509Certificate> out = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            out.addAll(List.of(x.getAcceptedIssuers()));
          }
        }
        return List.copyOf(out);
      } catch (GeneralSecurityException e) {
        return List.of();
      }
    }
  }
}
