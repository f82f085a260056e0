package dev.authsome.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An in-memory certificate authority for one proxy run: a self-signed ECDSA P-256 root and an intermediate
 * (path length 0) that signs the leaves. Both carry <em>critical</em> X.509 name constraints: the permitted dNSName
 * subtrees are exactly {@link #permittedDnsNames()} and every IPv4 and IPv6 address is excluded. The root carries
 * them because OpenSSL, Go, NSS and rustls enforce constraints on a trust anchor; the intermediate carries them
 * because the JDK enforces them only below the anchor. The root's key is discarded once the intermediate is signed,
 * and no key ever touches the disk, so even a stolen bundle file signs nothing.
 *
 * <p>With no permitted names at all the CA permits nothing; its certificates then carry the single permitted subtree
 * {@code invalid} (RFC 6761's never-resolving name), because an absent permitted subtree would permit everything.
 */
public final class CertificateAuthority {
  /** Reserved by RFC 6761: what an empty constraint set is written as. */
  static final String NOTHING = "invalid";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Duration CA_VALIDITY = Duration.ofDays(365);
  private static final Duration LEAF_VALIDITY = Duration.ofHours(24);
  /** Leaves and CA start this far in the past so a client whose clock lags a little still accepts them. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final SortedSet<String> permitted;
  private final Clock clock;
  private final SecureRandom random;
  private final X509Certificate root;
  private final X509Certificate intermediate;
  private final PrivateKey intermediateKey;
  private final String rootPem;

  private CertificateAuthority(SortedSet<String> permitted, Clock clock) throws GeneralSecurityException {
    this.permitted = Collections.unmodifiableSortedSet(permitted);
    this.clock = clock;
    this.random = new SecureRandom();
    Instant now = clock.instant();
    Instant notBefore = now.minus(BACKDATE);
    Instant notAfter = now.plus(CA_VALIDITY);
    String tag = Long.toHexString(random.nextLong() & Long.MAX_VALUE);

    KeyPair rootKeys = newKeyPair();
    X500Name rootName = name("authsome proxy root " + tag);
    this.root = sign(caBuilder(rootName, rootName, rootKeys.getPublic(), rootKeys.getPublic(), notBefore, notAfter, 1),
        rootKeys.getPrivate());

    KeyPair intermediateKeys = newKeyPair();
    this.intermediate = sign(caBuilder(rootName, name("authsome proxy intermediate " + tag),
        intermediateKeys.getPublic(), rootKeys.getPublic(), notBefore, notAfter, 0), rootKeys.getPrivate());
    this.intermediateKey = intermediateKeys.getPrivate();
    // rootKeys goes out of scope here: nothing can sign another intermediate
    this.rootPem = Pem.encode(root);
  }

  /** A CA put back together from {@link #export()}. */
  private CertificateAuthority(SortedSet<String> permitted, Clock clock, X509Certificate root,
      X509Certificate intermediate, PrivateKey intermediateKey) {
    this.permitted = Collections.unmodifiableSortedSet(permitted);
    this.clock = clock;
    this.random = new SecureRandom();
    this.root = root;
    this.intermediate = intermediate;
    this.intermediateKey = intermediateKey;
    this.rootPem = Pem.encode(root);
  }

  /**
   * The CA as text for the vault (which encrypts it): the permitted names, the root and intermediate certificates,
   * and the intermediate's private key (PKCS#8). The root's key does not exist any more, so a stolen copy can sign
   * leaves only within the constraints, and only until the intermediate expires.
   */
  public String export() {
    StringBuilder b = new StringBuilder();
    b.append("# authsome proxy CA, format 1\n");
    b.append("permitted: ").append(String.join(",", permitted)).append('\n');
    b.append(Pem.encode(root)).append(Pem.encode(intermediate));
    b.append("-----BEGIN PRIVATE KEY-----\n")
        .append(java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(intermediateKey.getEncoded()))
        .append("\n-----END PRIVATE KEY-----\n");
    return b.toString();
  }

  /** Reads what {@link #export()} wrote; a damaged text is an error naming what is missing. */
  public static CertificateAuthority restore(String exported, Clock clock) {
    requireNonNull(exported, "exported");
    SortedSet<String> names = new TreeSet<>();
    for (String line : exported.split("\n")) {
      if (line.startsWith("permitted: ")) {
        for (String n : line.substring("permitted: ".length()).split(",")) {
          if (!n.isBlank() && !n.equals(NOTHING)) {
            names.add(n.trim());
          }
        }
      }
    }
    List<X509Certificate> certs = Pem.certificates(exported);
    int begin = exported.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = exported.indexOf("-----END PRIVATE KEY-----");
    if (certs.size() != 2 || begin < 0 || end < begin) {
      throw AuthsomeException.vault("The stored proxy CA is incomplete; run 'authsome proxy ca rotate' to make a"
          + " new one (and trust its certificate again).");
    }
    try {
      byte[] der = java.util.Base64.getMimeDecoder().decode(exported.substring(begin
          + "-----BEGIN PRIVATE KEY-----".length(), end));
      PrivateKey key = java.security.KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
      return new CertificateAuthority(names, clock, certs.get(0), certs.get(1), key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw AuthsomeException.vault("The stored proxy CA's key cannot be read (" + e.getMessage() + "); run"
          + " 'authsome proxy ca rotate' to make a new one.");
    }
  }

  /** Whether the CA's certificates are still valid at least a day from now (else it should be rotated). */
  public boolean currentFor(Instant instant) {
    return intermediate.getNotAfter().toInstant().isAfter(instant.plus(Duration.ofDays(1)))
        && root.getNotAfter().toInstant().isAfter(instant.plus(Duration.ofDays(1)));
  }

  /**
   * A fresh CA constrained to {@code permittedDnsNames} (for example {@code RouteMatcher.dnsNames()}). Names are
   * lower-cased and stripped of a trailing dot; IP literals, loopback names and anything that is not a DNS name are
   * left out, since the proxy never intercepts those.
   */
  public static CertificateAuthority ephemeral(SortedSet<String> permittedDnsNames, Clock clock) {
    requireNonNull(permittedDnsNames, "permittedDnsNames");
    requireNonNull(clock, "clock");
    SortedSet<String> names = new TreeSet<>();
    for (String name : permittedDnsNames) {
      HostNames.normalise(requireNonNull(name, "permitted name")).ifPresent(names::add);
    }
    try {
      return new CertificateAuthority(names, clock);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the proxy CA: " + e.getMessage(), e);
    }
  }

  /** The DNS names (each with its subdomains) this CA can sign for; unmodifiable. */
  public SortedSet<String> permittedDnsNames() {
    return permitted;
  }

  /**
   * Whether {@link #issue} signs for {@code host}: it equals a permitted name or ends with {@code "." + name}. IP
   * literals and loopback names never qualify.
   */
  public boolean permits(String host) {
    return HostNames.normalise(requireNonNull(host, "host")).map(this::permitsNormalised).orElse(false);
  }

  private boolean permitsNormalised(String h) {
    for (String name : permitted) {
      if (h.equals(name) || h.endsWith("." + name)) {
        return true;
      }
    }
    return false;
  }

  /** The self-signed root clients trust. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** The root in PEM, as written to the child's CA file and bundle. */
  public String rootCertificatePem() {
    return rootPem;
  }

  /** The intermediate that signs leaves (sent after each leaf). */
  public X509Certificate intermediateCertificate() {
    return intermediate;
  }

  /** For tests that must sign what {@link #issue} refuses, to prove verifiers refuse it too. */
  PrivateKey intermediateKey() {
    return intermediateKey;
  }

  /**
   * A fresh leaf for {@code host}: EC P-256, SAN dNSName = host, valid about 24 hours (from an hour ago), EKU
   * serverAuth, signed by the intermediate.
   *
   * @throws AuthsomeException when {@link #permits} refuses the host
   */
  public IssuedCertificate issue(String host) {
    requireNonNull(host, "host");
    String h = HostNames.normalise(host).filter(this::permitsNormalised).orElseThrow(() -> AuthsomeException.usage(
        "The proxy CA cannot sign for '" + host + "': it is limited to " + permitted + " (never IPs or loopback)."));
    try {
      return signLeaf(h, intermediate, intermediateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a leaf for '" + h + "': " + e.getMessage(), e);
    }
  }

  /** Signs a leaf for {@code host} with no permission check; {@link #issue} and tests call it. */
  IssuedCertificate signLeaf(String host, X509Certificate issuer, PrivateKey issuerKey)
      throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    Instant now = clock.instant();
    Instant notAfter = now.plus(LEAF_VALIDITY);
    if (notAfter.isAfter(issuer.getNotAfter().toInstant())) {
      notAfter = issuer.getNotAfter().toInstant(); // a leaf outliving its issuer fails verification anyway
    }
    // CN holds at most 64 characters; the SAN is what clients check, so a long name just goes without a CN
    X500Name subject = host.length() <= 64 ? name(host) : new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "authsome").build();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(now.minus(BACKDATE)),
        Date.from(notAfter), subject, keys.getPublic());
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
    } catch (CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return new IssuedCertificate(keys.getPrivate(), List.of(sign(b, issuerKey), issuer));
  }

  private X509v3CertificateBuilder caBuilder(X500Name issuer, X500Name subject, PublicKey subjectKey,
      PublicKey issuerKey, Instant notBefore, Instant notAfter, int pathLength) throws GeneralSecurityException {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore),
        Date.from(notAfter), subject, subjectKey);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
      b.addExtension(Extension.nameConstraints, true, nameConstraints());
    } catch (CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return b;
  }

  private NameConstraints nameConstraints() {
    SortedSet<String> names = permitted.isEmpty() ? new TreeSet<>(List.of(NOTHING)) : permitted;
    GeneralSubtree[] permittedTrees = names.stream()
        .map(n -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, n)))
        .toArray(GeneralSubtree[]::new);
    // a DNS subtree says nothing about IP SANs, so every address is excluded explicitly (address + mask, all zero)
    GeneralSubtree[] excluded = {
        new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[8]))),
        new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[32]))),
    };
    return new NameConstraints(permittedTrees, excluded);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private BigInteger serial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] &= 0x7f; // positive, at most 127 bits, as RFC 5280 asks
    bytes[0] |= 0x01;  // and never zero
    return new BigInteger(bytes);
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "authsome").addRDN(BCStyle.CN, commonName).build();
  }
}
