package dev.authsome.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates in and out of PEM. Reading keeps {@code CERTIFICATE} blocks only: whatever else a file holds (a
 * private key next to a certificate is common) is never read, so it can never be copied into a bundle.
 */
public final class Pem {
  private static final Pattern CERTIFICATE = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

  private Pem() {}

  /** The certificates in PEM text, in order; blocks that do not parse as X.509 are skipped. */
  public static List<X509Certificate> certificates(String text) {
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = CERTIFICATE.matcher(text);
    while (m.find()) {
      try {
        out.add(fromDer(Base64.getMimeDecoder().decode(m.group(1))));
      } catch (CertificateException | IllegalArgumentException e) {
        // a damaged block in someone's bundle must not stop the others from being trusted
      }
    }
    return out;
  }

  /** The certificates in a PEM file, or the one certificate of a DER file ({@code .cer} files are often DER). */
  public static List<X509Certificate> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN")) {
      return certificates(text);
    }
    try {
      return List.of(fromDer(bytes));
    } catch (CertificateException | RuntimeException e) {
      return List.of();
    }
  }

  /** One certificate as a PEM block ending with a newline. */
  public static String encode(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot encode " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** Certificates as concatenated PEM blocks. */
  public static String encode(Collection<X509Certificate> certificates) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : certificates) {
      sb.append(encode(c));
    }
    return sb.toString();
  }

  /** The certificates without repeats (same DER), first occurrence kept, order kept. */
  public static List<X509Certificate> distinct(Collection<X509Certificate> certificates) {
    Map<String, X509Certificate> seen = new LinkedHashMap<>();
    for (X509Certificate c : certificates) {
      try {
        seen.putIfAbsent(Base64.getEncoder().encodeToString(c.getEncoded()), c);
      } catch (CertificateEncodingException e) {
        // not encodable means not writable to a bundle either
      }
    }
    return List.copyOf(seen.values());
  }

  private static X509Certificate fromDer(byte[] der) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }
}
