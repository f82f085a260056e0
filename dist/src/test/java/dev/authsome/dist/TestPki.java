package dev.authsome.dist;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away test CA (EC P-256) and one server certificate it signs for the test upstream's {@code .test} names.
 * The CA stands for "some CA the parent process already trusts" (a corporate or dev CA): the child gets it through
 * the parent's {@code SSL_CERT_FILE}, the proxy through {@code AUTHSOME_UPSTREAM_CA_FILE}.
 */
final class TestPki {
  private final X509Certificate ca;
  private final KeyPair serverKeys;
  private final X509Certificate server;

  private TestPki(X509Certificate ca, KeyPair serverKeys, X509Certificate server) {
    this.ca = ca;
    this.serverKeys = serverKeys;
    this.server = server;
  }

  /** A CA and a server certificate for {@code dnsNames}, valid from an hour ago for a day. */
  static TestPki create(String... dnsNames) {
    try {
      KeyPair caKeys = ecKeys();
      X500Name caName = new X500Name("CN=authsome e2e test CA");
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), caName,
          caKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(caBuilder, caKeys);

      KeyPair serverKeys = ecKeys();
      GeneralName[] names = new GeneralName[dnsNames.length];
      for (int i = 0; i < dnsNames.length; i++) {
        names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
      }
      X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
          new X500Name("CN=" + dnsNames[0]), serverKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
          .addExtension(Extension.subjectKeyIdentifier, false,
              ext.createSubjectKeyIdentifier(serverKeys.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      return new TestPki(ca, serverKeys, sign(serverBuilder, caKeys));
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot make the test PKI", e);
    }
  }

  /** The CA certificate as PEM, written to {@code file}. */
  Path writeCa(Path file) {
    try {
      StringWriter w = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(ca);
      }
      return Files.writeString(file, w.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server certificate chain and its PKCS#8 key as PEM files (for servers that read files, like grpc-java). */
  void writeServerPem(Path chain, Path key) {
    try {
      StringWriter w = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(server);
        pem.writeObject(ca);
      }
      Files.writeString(chain, w.toString());
      Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64,
          new byte[] {'\n'}).encodeToString(serverKeys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server-side TLS context presenting the server certificate (with the CA in its chain). */
  SSLContext serverContext() {
    try {
      char[] password = "test".toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", serverKeys.getPrivate(), password, new X509Certificate[] {server, ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make the test server's TLS context", e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
  }
}
