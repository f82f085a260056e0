package dev.authsome.proxy.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;

/**
 * Writes Java trust stores. The JDK's own {@code KeyStore.store(out, null)} still encrypts certificates unless the
 * global {@code keystore.pkcs12.*} properties say otherwise, and then a JVM reading it without a password sees no
 * certificate at all; so the file is built with BouncyCastle instead: certificate bags in the clear, no MAC, which
 * Java 17+ reads with no {@code javax.net.ssl.trustStorePassword}. Nothing in it is secret.
 */
public final class TrustStores {
  /** The attribute by which the JDK marks a PKCS#12 certificate as trusted (Oracle's "trusted key usage"). */
  private static final ASN1ObjectIdentifier ORACLE_TRUSTED_KEY_USAGE =
      new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

  private TrustStores() {}

  /** A passwordless, certificate-only PKCS#12 file's bytes trusting each of {@code certificates}. */
  public static byte[] passwordlessPkcs12(List<X509Certificate> certificates) throws IOException {
    try {
      PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
      for (X509Certificate c : certificates) {
        JcaPKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(c);
        bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(alias(c)));
        bag.addBagAttribute(ORACLE_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
        pfx.addData(bag.build()); // one unencrypted content per bag: the JDK reads any number of them
      }
      return pfx.build(null, null).getEncoded();
    } catch (PKCSException | CertificateEncodingException e) {
      throw new IOException("cannot build the trust store: " + e.getMessage(), e);
    }
  }

  /** A stable, unique alias: the certificate's SHA-256 fingerprint (subjects repeat across roots). */
  private static String alias(X509Certificate c) throws CertificateEncodingException {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      return "authsome-" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      return "authsome-" + Integer.toHexString(new String(c.getEncoded(), StandardCharsets.ISO_8859_1).hashCode());
    }
  }
}
