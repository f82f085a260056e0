package dev.authsome.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  private final CertificateAuthority ca = CertificateAuthority.ephemeral(
      new TreeSet<>(Set.of("api.example.test", "googleapis.test")), Clock.fixed(NOW, ZoneOffset.UTC));
  private final CertificateAuthority live = CertificateAuthority.ephemeral(
      new TreeSet<>(Set.of("api.example.test", "googleapis.test")), Clock.systemUTC());

  @Test
  void rootAndIntermediate_carryCriticalNameConstraints_exactlyThePermittedNames_andEveryIpExcluded() throws Exception {
    for (X509Certificate c : List.of(ca.rootCertificate(), ca.intermediateCertificate())) {
      X509CertificateHolder holder = new JcaX509CertificateHolder(c);
      Extension ext = holder.getExtension(Extension.nameConstraints);
      assertThat(ext).as("name constraints of %s", c.getSubjectX500Principal()).isNotNull();
      assertThat(ext.isCritical()).isTrue();
      NameConstraints nc = NameConstraints.getInstance(ext.getParsedValue());
      assertThat(Arrays.stream(nc.getPermittedSubtrees()).map(t -> t.getBase().getTagNo()))
          .containsOnly(GeneralName.dNSName);
      assertThat(Arrays.stream(nc.getPermittedSubtrees()).map(t -> t.getBase().getName().toString())
          .collect(Collectors.toList())).containsExactly("api.example.test", "googleapis.test");
      GeneralSubtree[] excluded = nc.getExcludedSubtrees();
      assertThat(excluded).hasSize(2);
      assertThat(Arrays.stream(excluded).map(t -> t.getBase().getTagNo())).containsOnly(GeneralName.iPAddress);
      assertThat(Arrays.stream(excluded)
          .map(t -> ASN1OctetString.getInstance(t.getBase().getName()).getOctets())
          .map(b -> b.length + ":" + allZero(b))).containsExactlyInAnyOrder("8:true", "32:true");
    }
    assertThat(ca.rootCertificate().getBasicConstraints()).isEqualTo(1);
    assertThat(ca.intermediateCertificate().getBasicConstraints()).isZero();
    assertThat(ca.permittedDnsNames()).containsExactly("api.example.test", "googleapis.test");
  }

  @Test
  void ephemeral_leavesOutIpsAndLoopback_andAnEmptySetPermitsNothing() throws Exception {
    CertificateAuthority odd = CertificateAuthority.ephemeral(
        new TreeSet<>(Set.of("127.0.0.1", "localhost", "::1", "API.Example.TEST.")), Clock.systemUTC());
    assertThat(odd.permittedDnsNames()).containsExactly("api.example.test");

    CertificateAuthority none = CertificateAuthority.ephemeral(new TreeSet<>(), Clock.systemUTC());
    assertThat(none.permittedDnsNames()).isEmpty();
    assertThat(none.permits("example.com")).isFalse();
    NameConstraints nc = NameConstraints.getInstance(new JcaX509CertificateHolder(none.rootCertificate())
        .getExtension(Extension.nameConstraints).getParsedValue());
    // an absent permitted subtree would permit every name: the empty set is written as RFC 6761's "invalid"
    assertThat(Arrays.stream(nc.getPermittedSubtrees()).map(t -> t.getBase().getName().toString()))
        .containsExactly("invalid");
  }

  @Test
  void permits_theNamesAndTheirSubdomains_atALabelBoundary_neverIpsOrLoopback() {
    assertThat(ca.permits("api.example.test")).isTrue();
    assertThat(ca.permits("API.example.test.")).isTrue();
    assertThat(ca.permits("gmail.googleapis.test")).isTrue();
    assertThat(ca.permits("googleapis.test")).isTrue();
    assertThat(ca.permits("evilgoogleapis.test")).isFalse();
    assertThat(ca.permits("example.test")).isFalse();
    assertThat(ca.permits("api.example.test.evil.test")).isFalse();
    for (String bad : List.of("127.0.0.1", "::1", "[::1]", "localhost", "10.0.0.1", "", "*.googleapis.test",
        "a b.googleapis.test", "0x7f.1")) {
      assertThat(ca.permits(bad)).as(bad).isFalse();
    }
  }

  @Test
  void issue_mintsAShortLivedServerLeaf_namedAfterTheHost_chainedToTheIntermediate() throws Exception {
    IssuedCertificate issued = ca.issue("Gmail.GoogleApis.test");
    X509Certificate leaf = issued.leaf();
    assertThat(issued.chain()).containsExactly(leaf, ca.intermediateCertificate());
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "gmail.googleapis.test"));
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(issued.key().getAlgorithm()).isEqualTo("EC");
    assertThat(leaf.getNotBefore().toInstant()).isBefore(NOW).isAfter(NOW.minus(Duration.ofHours(2)));
    assertThat(Duration.between(NOW, leaf.getNotAfter().toInstant())).isEqualTo(Duration.ofHours(24));
    leaf.verify(ca.intermediateCertificate().getPublicKey());
    ca.intermediateCertificate().verify(ca.rootCertificate().getPublicKey());
    assertThat(issued.toString()).doesNotContain("EC").contains("gmail.googleapis.test");
  }

  @Test
  void issue_refusesUnlistedNamesIpsAndLoopback_namingTheHost() {
    for (String bad : List.of("example.com", "evilgoogleapis.test", "127.0.0.1", "::1", "localhost", "10.1.2.3")) {
      assertThatThrownBy(() -> ca.issue(bad)).as(bad).isInstanceOf(AuthsomeException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void rootCertificatePem_parsesBackToTheRoot() {
    assertThat(Pem.certificates(ca.rootCertificatePem())).containsExactly(ca.rootCertificate());
  }

  @Test
  void jdkPathValidation_enforcesTheIntermediatesConstraints() throws Exception {
    // the JDK ignores constraints on a trust anchor but enforces them on the intermediate: the reason it exists
    assertThat(pkixFailure(live.rootCertificate(), live.issue("api.example.test"))).isNull();
    IssuedCertificate rogue = live.signLeaf("rogue.example.com", live.intermediateCertificate(),
        live.intermediateKey());
    assertThat(pkixFailure(live.rootCertificate(), rogue)).isNotNull();
  }

  @Test
  void opensslVerify_acceptsAPermittedLeaf_andRefusesOnesOutsideTheConstraints(@TempDir Path dir) throws Exception {
    Tools.require("openssl");
    Path root = write(dir, "root.pem", List.of(live.rootCertificate()));
    Path intermediate = write(dir, "intermediate.pem", List.of(live.intermediateCertificate()));

    Path good = write(dir, "good.pem", List.of(live.issue("v1.api.example.test").leaf()));
    Tools.Result ok = Tools.run("openssl", "verify", "-CAfile", root.toString(), "-untrusted",
        intermediate.toString(), good.toString());
    assertThat(ok.exit()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("OK");

    // signed with the intermediate's key directly, bypassing issue(): only the constraints stop these
    for (String host : List.of("rogue.example.com", "evilgoogleapis.test")) {
      Path rogue = write(dir, host + ".pem",
          List.of(live.signLeaf(host, live.intermediateCertificate(), live.intermediateKey()).leaf()));
      Tools.Result refused = Tools.run("openssl", "verify", "-CAfile", root.toString(), "-untrusted",
          intermediate.toString(), rogue.toString());
      assertThat(refused.exit()).as(refused.output()).isNotZero();
      assertThat(refused.output()).containsIgnoringCase("permitted subtree violation");
    }
  }

  private static @Nullable CertPathValidatorException pkixFailure(X509Certificate root, IssuedCertificate issued)
      throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    try {
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(issued.chain()), params);
      return null;
    } catch (CertPathValidatorException e) {
      return e;
    }
  }

  private static Path write(Path dir, String name, List<X509Certificate> certs) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, Pem.encode(certs));
    return file;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
