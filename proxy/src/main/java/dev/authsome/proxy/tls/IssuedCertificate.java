package dev.authsome.proxy.tls;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A leaf certificate with its key, as a TLS server presents it.
 *
 * @param key the leaf's private key; held in memory only
 * @param chain the leaf first, then the intermediate that signed it (the root is what clients trust, so it is not sent)
 */
public record IssuedCertificate(PrivateKey key, List<X509Certificate> chain) {

  public IssuedCertificate {
    requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain is empty; it must start with the leaf");
    }
  }

  /** The leaf certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    // never the key, even by accident in a log line
    return "IssuedCertificate[" + leaf().getSubjectX500Principal().getName() + "]";
  }
}
