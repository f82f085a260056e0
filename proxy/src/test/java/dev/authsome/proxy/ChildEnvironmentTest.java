package dev.authsome.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProxyRoute;
import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.LeafContexts;
import dev.authsome.proxy.tls.Pem;
import dev.authsome.proxy.tls.SystemRoots;
import dev.authsome.proxy.tls.TlsProviders;
import dev.authsome.proxy.tls.TlsTestServer;
import dev.authsome.proxy.tls.Tools;
import io.netty.handler.ssl.SniHandler;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildEnvironmentTest {
  private static final String CREDENTIAL = "s3cr3t-proxy-credential";
  private static final URI PROXY = URI.create("http://authsome:" + CREDENTIAL + "@127.0.0.1:45678");

  private final CertificateAuthority ca = CertificateAuthority.ephemeral(new TreeSet<>(Set.of("example.test")),
      Clock.systemUTC());
  private final List<ProxyRoute> routes = List.of(
      new ProxyRoute("github", "default", List.of("api.github.test"), List.of(),
          Map.of("GITHUB_TOKEN", "authsome-proxy-managed")),
      new ProxyRoute("openai", "default", List.of("https://api.openai.test/v1"), List.of(),
          Map.of("OPENAI_API_KEY", "sk-proj-0000")),
      new ProxyRoute("unconnected", null, List.of("api.unconnected.test"), List.of(),
          Map.of("UNCONNECTED_KEY", "authsome-proxy-managed")));

  @TempDir Path temp;

  @Test
  void variables_replaceInheritedProxyAndCaSettings_andPointEveryRuntimeAtTheRunFiles() throws Exception {
    Map<String, String> parent = new HashMap<>();
    parent.put("PATH", "/usr/bin:/bin");
    parent.put("HTTPS_PROXY", "http://corp:8080");
    parent.put("http_proxy", "http://corp:8080");
    parent.put("ALL_PROXY", "socks5://corp:1080");
    parent.put("NO_PROXY", "corp.internal,*,.github.test");
    parent.put("no_proxy", "corp.internal,10.0.0.0/8");
    parent.put("SSL_CERT_FILE", "/nonexistent/parent.pem");
    parent.put("SSL_CERT_DIR", "/nonexistent/certs");
    parent.put("REQUESTS_CA_BUNDLE", "/nonexistent/requests.pem");
    parent.put("OPENAI_API_KEY", "sk-real-parent-key");
    parent.put("UNCONNECTED_KEY", "kept-as-is");

    try (ChildEnvironment env = ChildEnvironment.prepare(parent, PROXY, ca.rootCertificatePem(), routes,
        temp.resolve("run"))) {
      Map<String, String> v = env.variables();
      for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AUTHSOME_PROXY_URL")) {
        assertThat(v).containsEntry(name, PROXY.toString());
      }
      assertThat(v).doesNotContainKeys("ALL_PROXY", "all_proxy", "SSL_CERT_DIR");
      assertThat(v.get("NO_PROXY")).isEqualTo("corp.internal,10.0.0.0/8,localhost,127.0.0.1,::1");
      assertThat(v.get("no_proxy")).isEqualTo(v.get("NO_PROXY"));
      assertThat(v).containsEntry("AUTHSOME_PROXY_MODE", "true").containsEntry("NODE_USE_ENV_PROXY", "1")
          .containsEntry("PATH", "/usr/bin:/bin")
          .containsEntry("GITHUB_TOKEN", "authsome-proxy-managed")
          .containsEntry("OPENAI_API_KEY", "sk-proj-0000") // the real key the parent held never reaches the child
          .containsEntry("UNCONNECTED_KEY", "kept-as-is");
      for (String name : ChildEnvironment.BUNDLE_VARIABLES) {
        assertThat(v).containsEntry(name, env.bundleFile().toString());
      }
      assertThat(v).containsEntry("NODE_EXTRA_CA_CERTS", env.caFile().toString());
      assertThat(v.get("JAVA_TOOL_OPTIONS")).contains("-Djavax.net.ssl.trustStore=" + env.javaTrustStore(),
          "-Dhttps.proxyPort=45678", "-Dhttps.proxyHost=127.0.0.1", "-Djdk.http.auth.tunneling.disabledSchemes=");

      // the credential lives only in the proxy URL variables
      assertThat(v.entrySet().stream().filter(e -> e.getValue().contains(CREDENTIAL)).map(Map.Entry::getKey)
          .collect(Collectors.toSet()))
          .containsExactlyInAnyOrder("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AUTHSOME_PROXY_URL");
      for (Path f : List.of(env.caFile(), env.bundleFile(), env.javaTrustStore())) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain(CREDENTIAL);
      }
      assertThat(env.toString()).doesNotContain(CREDENTIAL);

      assertThat(env.added()).doesNotContainKeys("PATH", "UNCONNECTED_KEY").containsKeys("HTTPS_PROXY",
          "OPENAI_API_KEY", "SSL_CERT_FILE", "NO_PROXY", "JAVA_TOOL_OPTIONS");
      assertThat(new ArrayList<>(env.added().keySet())).isSorted();
    }
  }

  @Test
  void bundle_mergesSystemRootsParentCertificatesAndOurCa_onceEach_neverAPrivateKey() throws Exception {
    List<X509Certificate> corporate = List.of(other("a.corp.test"), other("b.corp.test"), other("c.corp.test"));
    Path parentFile = temp.resolve("parent-bundle.pem");
    Files.writeString(parentFile, "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
        + "-----END PRIVATE KEY-----\n" + Pem.encode(corporate.get(0)) + "-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
        + "-----END EC PRIVATE KEY-----\n" + Pem.encode(corporate.get(1)) + Pem.encode(corporate.get(0)));
    Path certDir = Files.createDirectory(temp.resolve("certs"));
    Files.writeString(certDir.resolve("c.crt"), Pem.encode(corporate.get(2)));
    Files.createSymbolicLink(certDir.resolve("0a1b2c3d.0"), certDir.resolve("c.crt"));
    Files.write(certDir.resolve("d.cer"), corporate.get(1).getEncoded()); // DER, a repeat of b
    Files.writeString(certDir.resolve("notes.txt"), Pem.encode(other("ignored.test")));

    Map<String, String> parent = Map.of("SSL_CERT_FILE", parentFile.toString(), "SSL_CERT_DIR",
        certDir + ":/nonexistent");
    try (ChildEnvironment env = ChildEnvironment.prepare(parent, PROXY, ca.rootCertificatePem(), routes,
        temp.resolve("run"))) {
      String bundle = Files.readString(env.bundleFile());
      assertThat(bundle).doesNotContain("PRIVATE KEY").doesNotContain("MIGHAgEA");
      List<X509Certificate> certs = Pem.certificates(bundle);
      assertThat(Collections.frequency(certs, ca.rootCertificate())).isOne();
      for (X509Certificate c : corporate) {
        assertThat(Collections.frequency(certs, c)).as(c.getSubjectX500Principal().getName()).isOne();
      }
      List<X509Certificate> system = SystemRoots.osBundle().isPresent()
          ? SystemRoots.osBundleCertificates() : SystemRoots.jdkDefault();
      assertThat(system).isNotEmpty();
      assertThat(certs).containsAll(system).doesNotHaveDuplicates();
      assertThat(certs).hasSize(Pem.distinct(system).size() + 4);
      assertThat(certs.get(certs.size() - 1)).isEqualTo(ca.rootCertificate());
      assertThat(Pem.certificates(Files.readString(env.caFile()))).containsExactly(ca.rootCertificate());

      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(env.javaTrustStore())) {
        store.load(in, null); // passwordless: no javax.net.ssl.trustStorePassword needed
      }
      List<X509Certificate> trusted = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        assertThat(store.isCertificateEntry(alias)).isTrue();
        trusted.add((X509Certificate) store.getCertificate(alias));
      }
      assertThat(trusted).contains(ca.rootCertificate()).containsAll(corporate).containsAll(SystemRoots.jdkDefault())
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void files_sitInAPrivateRunFolder_andCloseDeletesIt() throws Exception {
    Path run = temp.resolve("nested/run");
    ChildEnvironment env = ChildEnvironment.prepare(Map.of(), PROXY, ca.rootCertificatePem(), routes, run);
    assertThat(Files.getPosixFilePermissions(run)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (Stream<Path> files = Files.list(run)) {
      List<Path> all = files.collect(Collectors.toList());
      assertThat(all).contains(env.caFile(), env.bundleFile(), env.javaTrustStore());
      for (Path f : all) {
        assertThat(f.getParent()).isEqualTo(run.toAbsolutePath());
        assertThat(Files.getPosixFilePermissions(f)).doesNotContain(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.GROUP_EXECUTE);
      }
    }
    env.close();
    assertThat(run).doesNotExist();
    env.close(); // twice is fine

    Path used = Files.createDirectories(temp.resolve("used"));
    Files.writeString(used.resolve("x"), "x");
    assertThatThrownBy(() -> ChildEnvironment.prepare(Map.of(), PROXY, ca.rootCertificatePem(), routes, used))
        .isInstanceOf(AuthsomeException.class).hasMessageContaining("not empty");
    assertThat(used.resolve("x")).exists();
  }

  @Test
  void prepare_refusesAPlaceholderNamedLikeAProxyVariable_andABadProxyUrl_withoutLeakingTheCredential() {
    List<ProxyRoute> hostile = List.of(new ProxyRoute("evil", "default", List.of("api.evil.test"), List.of(),
        Map.of("HTTPS_PROXY", "http://evil:1")));
    Path run = temp.resolve("run");
    assertThatThrownBy(() -> ChildEnvironment.prepare(Map.of(), PROXY, ca.rootCertificatePem(), hostile, run))
        .isInstanceOf(AuthsomeException.class).hasMessageContaining("HTTPS_PROXY").hasMessageContaining("evil");
    assertThat(run).doesNotExist();
    URI https = URI.create("https://authsome:" + CREDENTIAL + "@127.0.0.1:1");
    assertThatThrownBy(() -> ChildEnvironment.prepare(Map.of(), https, ca.rootCertificatePem(), routes, run))
        .isInstanceOf(AuthsomeException.class).message().doesNotContain(CREDENTIAL);
  }

  @Test
  void javaToolOptions_keepTheParentsOtherOptions_andDropItsTrustStoreAndProxy() {
    String options = ChildEnvironment.javaToolOptions("-Xmx1g  -Djavax.net.ssl.trustStore=/corp.jks "
        + "-Djavax.net.ssl.trustStorePassword=x \"-Dfoo=a b\" -Dhttps.proxyHost=corp -Dhttp.proxyPort=3128 "
        + "-Dhttp.nonProxyHosts=x", Path.of("/run dir/t.p12"), PROXY);
    assertThat(options).startsWith("-Xmx1g \"-Dfoo=a b\" \"-Djavax.net.ssl.trustStore=/run dir/t.p12\" ")
        .doesNotContain("corp").doesNotContain("3128").doesNotContain(CREDENTIAL)
        .contains("-Dhttp.nonProxyHosts=localhost|127.0.0.1").contains("-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  @Test
  void aJvmChild_readsThePasswordlessTrustStore_andTheProxySettings_fromJavaToolOptions() throws Exception {
    Path program = temp.resolve("Probe.java");
    Files.writeString(program, """
        import java.security.KeyStore;
        import javax.net.ssl.*;
        public class Probe {
          public static void main(String[] a) throws Exception {
            TrustManagerFactory t = TrustManagerFactory.getInstance("PKIX");
            t.init((KeyStore) null);
            boolean ours = false;
            int n = 0;
            for (var c : ((X509TrustManager) t.getTrustManagers()[0]).getAcceptedIssuers()) {
              n++;
              ours |= c.getSubjectX500Principal().getName().contains("authsome proxy root");
            }
            System.out.println("roots=" + n + " ours=" + ours + " port=" + System.getProperty("https.proxyPort"));
          }
        }
        """);
    try (ChildEnvironment env = ChildEnvironment.prepare(Map.of("JAVA_TOOL_OPTIONS", "-Xshare:auto"), PROXY,
        ca.rootCertificatePem(), routes, temp.resolve("run"))) {
      Map<String, String> childEnv = new HashMap<>();
      childEnv.put("JAVA_TOOL_OPTIONS", env.variables().get("JAVA_TOOL_OPTIONS"));
      Tools.Result r = Tools.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          program.toString()), childEnv);
      assertThat(r.exit()).as(r.output()).isZero();
      assertThat(r.output()).contains("ours=true", "port=45678").doesNotContain("roots=0 ");
    }
  }

  @Test
  void curl_verifiesOurLeaf_throughCurlCaBundle_fromTheVariables() throws Exception {
    Tools.require("curl");
    LeafContexts leaves = new LeafContexts(ca, TlsProviders.jdk(), List.of("http/1.1"));
    try (ChildEnvironment env = ChildEnvironment.prepare(Map.of(), PROXY, ca.rootCertificatePem(), routes,
            temp.resolve("run"));
        TlsTestServer server = new TlsTestServer(() -> new SniHandler(leaves))) {
      String url = "https://api.example.test:" + server.port() + "/";
      List<String> curl = List.of("curl", "-sS", "--http0.9", "--noproxy", "*", "--resolve",
          "api.example.test:" + server.port() + ":127.0.0.1", url);
      Map<String, String> childEnv = new HashMap<>();
      childEnv.put("CURL_CA_BUNDLE", env.variables().get("CURL_CA_BUNDLE"));
      childEnv.put("SSL_CERT_FILE", null);
      childEnv.put("SSL_CERT_DIR", null);
      Tools.Result ok = Tools.run(curl, childEnv);
      assertThat(ok.exit()).as(ok.output()).isZero();
      assertThat(ok.output()).isEqualTo("hello");

      // the same request with only the system roots fails verification: the bundle is what made it pass
      childEnv.put("CURL_CA_BUNDLE", SystemRoots.osBundle().orElse(env.caFile()).toString());
      if (SystemRoots.osBundle().isPresent()) {
        Tools.Result refused = Tools.run(curl, childEnv);
        assertThat(refused.exit()).as(refused.output()).isEqualTo(60);
      }
    }
  }

  private static X509Certificate other(String host) {
    return CertificateAuthority.ephemeral(new TreeSet<>(Set.of(host)), Clock.systemUTC()).rootCertificate();
  }
}
