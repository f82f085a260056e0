package dev.authsome.proxy;

import static java.util.Objects.requireNonNull;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProxyRoute;
import dev.authsome.core.RouteMatcher;
import dev.authsome.proxy.tls.Pem;
import dev.authsome.proxy.tls.SystemRoots;
import dev.authsome.proxy.tls.TrustStores;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The environment for a child run behind the proxy, and the per-run files it points to: our CA alone, a merged
 * bundle (the system roots, what the parent's {@code SSL_CERT_FILE}/{@code SSL_CERT_DIR} held, and our CA) for every
 * variable the common runtimes read, and a PKCS#12 trust store for JVMs. The bundle merges rather than replaces
 * because most of a child's traffic goes to hosts the proxy only tunnels, whose real certificates must still verify.
 *
 * <p>The proxy credential appears only in the proxy URL variables ({@code HTTP(S)_PROXY} in both cases and
 * {@code AUTHSOME_PROXY_URL}); no file holds it.
 */
public final class ChildEnvironment implements AutoCloseable {
  /** Proxy variables the parent may have set; all are dropped, the ones the proxy needs are set again. */
  static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
      "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy");
  /** Variables read as "the file of trusted roots", each replacing the defaults, so each gets the merged bundle. */
  static final List<String> BUNDLE_VARIABLES = List.of("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
      "GIT_SSL_CAINFO", "AWS_CA_BUNDLE", "PIP_CERT", "NPM_CONFIG_CAFILE", "npm_config_cafile", "CARGO_HTTP_CAINFO",
      "DENO_CERT", "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "BUNDLE_SSL_CA_CERT");
  /** Everything the parent set that the child gets from authsome instead, or not at all ({@code SSL_CERT_DIR}). */
  static final Set<String> REPLACED;

  static {
    Set<String> replaced = new LinkedHashSet<>(PROXY_VARIABLES);
    replaced.addAll(BUNDLE_VARIABLES);
    replaced.addAll(List.of("SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "JAVA_TOOL_OPTIONS", "AUTHSOME_PROXY_MODE",
        "AUTHSOME_PROXY_URL", "NODE_USE_ENV_PROXY"));
    REPLACED = Collections.unmodifiableSet(replaced);
  }

  private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");
  /** JVM options the parent may carry that would fight ours: its own trust store or proxy. */
  private static final List<String> JAVA_OPTIONS_REPLACED = List.of("-Djavax.net.ssl.trustStore", "-Dhttp.proxy",
      "-Dhttps.proxy", "-Dhttp.nonProxyHosts", "-Djdk.http.auth.tunneling.disabledSchemes",
      "-Djdk.http.auth.proxying.disabledSchemes");
  /** OpenSSL's c_rehash names: 8 hex digits, a dot, a counter ({@code .rN} are CRLs, not read). */
  private static final Pattern HASH_LINK = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** Certificates are public; readable so a container user other than ours can read a mounted copy. */
  private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private final Map<String, String> variables;
  private final Map<String, String> added;
  private final Path runDir;
  private final Path caFile;
  private final Path bundleFile;
  private final Path javaTrustStore;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChildEnvironment(Map<String, String> variables, Map<String, String> added, Path runDir, Path caFile,
      Path bundleFile, Path javaTrustStore) {
    this.variables = Collections.unmodifiableMap(new TreeMap<>(variables));
    this.added = Collections.unmodifiableMap(new TreeMap<>(added));
    this.runDir = runDir;
    this.caFile = caFile;
    this.bundleFile = bundleFile;
    this.javaTrustStore = javaTrustStore;
  }

  /**
   * Writes the per-run files into {@code runDir} and computes the child's environment.
   *
   * @param parentEnv the environment authsome was started with
   * @param proxyUrl {@code http://authsome:<credential>@127.0.0.1:<port>}
   * @param caPem our CA's root certificate (PEM)
   * @param routes the route table; connected routes contribute their placeholder variables
   * @param runDir a folder that does not exist yet (or is empty); it is made private (0700) and the files go in it
   * @throws AuthsomeException when the proxy URL is not such a URL, {@code caPem} holds no certificate, a
   *     placeholder would overwrite a variable authsome sets, or the files cannot be written
   */
  public static ChildEnvironment prepare(Map<String, String> parentEnv, URI proxyUrl, String caPem,
      List<ProxyRoute> routes, Path runDir) {
    requireNonNull(parentEnv, "parentEnv");
    requireNonNull(proxyUrl, "proxyUrl");
    requireNonNull(caPem, "caPem");
    requireNonNull(routes, "routes");
    requireNonNull(runDir, "runDir");
    if (!"http".equalsIgnoreCase(proxyUrl.getScheme()) || proxyUrl.getHost() == null || proxyUrl.getPort() <= 0) {
      // the URL holds the proxy credential: name the problem, never the value
      throw AuthsomeException.usage("The child's proxy URL must be http://user:credential@host:port (scheme "
          + proxyUrl.getScheme() + ", port " + proxyUrl.getPort() + ").");
    }
    List<X509Certificate> ours = Pem.certificates(caPem);
    if (ours.isEmpty()) {
      throw AuthsomeException.usage("The proxy CA PEM holds no certificate; cannot prepare the child's trust.");
    }

    Path dir = runDir.toAbsolutePath();
    createPrivateDirectory(dir);
    try {
      return write(parentEnv, proxyUrl, ours, routes, dir);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  private static ChildEnvironment write(Map<String, String> parentEnv, URI proxyUrl, List<X509Certificate> ours,
      List<ProxyRoute> routes, Path dir) {
    // 1. what the parent trusted, then our CA last: deduplicated by DER, certificates only
    List<X509Certificate> inherited = inheritedCertificates(parentEnv);
    List<X509Certificate> system = SystemRoots.osBundle().isPresent()
        ? SystemRoots.osBundleCertificates() : SystemRoots.jdkDefault();
    List<X509Certificate> merged = new ArrayList<>(system);
    merged.addAll(inherited);
    merged.addAll(ours);
    merged = Pem.distinct(merged);
    List<X509Certificate> java = new ArrayList<>(merged);
    java.addAll(SystemRoots.jdkDefault());
    java = Pem.distinct(java);

    Path caFile = dir.resolve("authsome-ca.pem");
    Path bundleFile = dir.resolve("ca-bundle.pem");
    Path trustStore = dir.resolve("truststore.p12");
    writeFile(caFile, Pem.encode(ours).getBytes(StandardCharsets.US_ASCII));
    writeFile(bundleFile, Pem.encode(merged).getBytes(StandardCharsets.US_ASCII));
    try {
      writeFile(trustStore, TrustStores.passwordlessPkcs12(java));
    } catch (IOException e) {
      throw AuthsomeException.usage("Cannot write the child's Java trust store " + trustStore + ": "
          + e.getMessage());
    }
    // NODE_EXTRA_CA_CERTS adds to Node's built-in roots: our CA is enough, plus whatever extras the parent had
    Path nodeExtra = caFile;
    String parentNodeExtra = parentEnv.get("NODE_EXTRA_CA_CERTS");
    if (parentNodeExtra != null && !parentNodeExtra.isBlank()) {
      List<X509Certificate> extra = new ArrayList<>(readQuietly(Path.of(parentNodeExtra)));
      if (!extra.isEmpty()) {
        extra.addAll(ours);
        nodeExtra = dir.resolve("node-extra-ca.pem");
        writeFile(nodeExtra, Pem.encode(Pem.distinct(extra)).getBytes(StandardCharsets.US_ASCII));
      }
    }

    // 2. the variables
    Map<String, String> added = new TreeMap<>();
    String url = proxyUrl.toString();
    for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "AUTHSOME_PROXY_URL")) {
      added.put(name, url);
    }
    String noProxy = String.join(",", noProxy(parentEnv, routes));
    added.put("NO_PROXY", noProxy);
    added.put("no_proxy", noProxy);
    added.put("AUTHSOME_PROXY_MODE", "true");
    added.put("NODE_USE_ENV_PROXY", "1");
    for (String name : BUNDLE_VARIABLES) {
      added.put(name, bundleFile.toString());
    }
    added.put("NODE_EXTRA_CA_CERTS", nodeExtra.toString());
    added.put("JAVA_TOOL_OPTIONS", javaToolOptions(parentEnv.get("JAVA_TOOL_OPTIONS"), trustStore, proxyUrl));
    for (ProxyRoute route : routes) {
      if (!route.connected()) {
        continue;
      }
      for (Map.Entry<String, String> p : new TreeMap<>(route.placeholders()).entrySet()) {
        if (REPLACED.contains(p.getKey())) {
          throw AuthsomeException.usage("Provider '" + route.provider() + "' declares the variable " + p.getKey()
              + ", which authsome sets for the proxy itself; rename it in the provider definition.");
        }
        added.put(p.getKey(), p.getValue());
      }
    }

    Map<String, String> variables = new TreeMap<>(parentEnv);
    variables.keySet().removeAll(REPLACED);
    variables.putAll(added);
    return new ChildEnvironment(variables, added, dir, caFile, bundleFile, trustStore);
  }

  /** The complete environment for the child. */
  public Map<String, String> variables() {
    return variables;
  }

  /** Only the variables authsome sets, sorted by name (what {@code authsome proxy} prints). */
  public Map<String, String> added() {
    return added;
  }

  /** Our CA certificate alone (PEM). */
  public Path caFile() {
    return caFile;
  }

  /** The merged bundle: system roots, what the parent trusted, our CA. */
  public Path bundleFile() {
    return bundleFile;
  }

  /** The passwordless PKCS#12 trust store for JVM children: the bundle plus the JDK's default roots. */
  public Path javaTrustStore() {
    return javaTrustStore;
  }

  /** The folder holding the per-run files. */
  public Path runDir() {
    return runDir;
  }

  /** Deletes the run folder and its files; safe to call more than once. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      deleteTree(runDir);
    }
  }

  /** The parent's NO_PROXY entries that do not bypass a routed host, then the loopback names. */
  static List<String> noProxy(Map<String, String> parentEnv, List<ProxyRoute> routes) {
    List<String> apiUrls = new ArrayList<>();
    routes.forEach(r -> apiUrls.addAll(r.apiUrls()));
    SortedSet<String> routed = RouteMatcher.of(apiUrls).dnsNames();
    Set<String> out = new LinkedHashSet<>();
    for (String variable : List.of("NO_PROXY", "no_proxy")) {
      String value = parentEnv.get(variable);
      if (value == null) {
        continue;
      }
      for (String raw : value.split(",")) {
        String entry = raw.trim();
        // "*" would send the child around the proxy entirely, and an entry covering a routed host would skip
        // injection for it: both are left out
        if (!entry.isEmpty() && !entry.equals("*") && !bypassesRoute(entry, routed)) {
          out.add(entry);
        }
      }
    }
    out.addAll(LOOPBACK);
    return List.copyOf(out);
  }

  private static boolean bypassesRoute(String entry, SortedSet<String> routed) {
    String e = entry.toLowerCase(Locale.ROOT);
    if (e.startsWith("*.")) {
      e = e.substring(2);
    } else if (e.startsWith(".")) {
      e = e.substring(1);
    }
    int colon = e.lastIndexOf(':');
    if (colon > 0 && e.indexOf(':') == colon) {
      e = e.substring(0, colon);
    }
    for (String name : routed) {
      if (name.equals(e) || name.endsWith("." + e) || e.endsWith("." + name)) {
        return true;
      }
    }
    return false;
  }

  /** The parent's JVM options minus its own trust store and proxy settings, then ours. */
  static String javaToolOptions(@Nullable String parent, Path trustStore, URI proxyUrl) {
    List<String> options = new ArrayList<>();
    if (parent != null) {
      for (String token : tokens(parent)) {
        String bare = token.replace("\"", "").replace("'", "");
        if (JAVA_OPTIONS_REPLACED.stream().noneMatch(bare::startsWith)) {
          options.add(token);
        }
      }
    }
    String host = proxyUrl.getHost();
    int port = proxyUrl.getPort();
    options.add(quoted("-Djavax.net.ssl.trustStore=" + trustStore));
    options.add("-Djavax.net.ssl.trustStoreType=PKCS12");
    options.add("-Dhttps.proxyHost=" + host);
    options.add("-Dhttps.proxyPort=" + port);
    options.add("-Dhttp.proxyHost=" + host);
    options.add("-Dhttp.proxyPort=" + port);
    options.add("-Dhttp.nonProxyHosts=localhost|127.0.0.1");
    // the JDK refuses Basic auth to a proxy by default; the proxy credential is Basic
    options.add("-Djdk.http.auth.tunneling.disabledSchemes=");
    options.add("-Djdk.http.auth.proxying.disabledSchemes=");
    return String.join(" ", options);
  }

  /** Splits JAVA_TOOL_OPTIONS the way the JVM does: on whitespace, outside single or double quotes. */
  private static List<String> tokens(String value) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (char c : value.toCharArray()) {
      if (quote != 0) {
        current.append(c);
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        current.append(c);
      } else if (Character.isWhitespace(c)) {
        if (current.length() > 0) {
          out.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString());
    }
    return out;
  }

  private static String quoted(String option) {
    return option.chars().anyMatch(Character::isWhitespace) ? "\"" + option + "\"" : option;
  }

  /** What the parent's SSL_CERT_FILE, SSL_CERT_DIR and other bundle variables pointed to. */
  private static List<X509Certificate> inheritedCertificates(Map<String, String> parentEnv) {
    List<X509Certificate> out = new ArrayList<>();
    // SSL_CERT_FILE first, then the other bundle variables: a corporate root given only to requests or npm must
    // not be lost when their variable is pointed at the merged bundle
    for (String variable : BUNDLE_VARIABLES) {
      String file = parentEnv.get(variable);
      if (file != null && !file.isBlank()) {
        out.addAll(readQuietly(Path.of(file)));
      }
    }
    String dirs = parentEnv.get("SSL_CERT_DIR");
    if (dirs != null) {
      for (String d : dirs.split(":")) {
        if (d.isBlank()) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(d))) {
          List<Path> sorted = new ArrayList<>();
          files.forEach(sorted::add);
          Collections.sort(sorted); // stable bundle order whatever the directory order
          for (Path f : sorted) {
            String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")
                || HASH_LINK.matcher(name).matches()) {
              out.addAll(readQuietly(f));
            }
          }
        } catch (IOException | RuntimeException e) {
          // a missing or unreadable folder trusted nothing for the parent either
        }
      }
    }
    return out;
  }

  private static List<X509Certificate> readQuietly(Path file) {
    try {
      return Files.isRegularFile(file) ? Pem.read(file) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void createPrivateDirectory(Path dir) {
    try {
      Files.createDirectories(dir.getParent());
      try {
        if (posix(dir)) {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
          Files.createDirectory(dir);
        }
      } catch (FileAlreadyExistsException e) {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw AuthsomeException.usage("The run folder " + dir + " exists and is not a plain folder.");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
          if (entries.iterator().hasNext()) {
            throw AuthsomeException.usage("The run folder " + dir + " is not empty; it must be fresh.");
          }
        }
      }
      if (posix(dir)) {
        Files.setPosixFilePermissions(dir, DIRECTORY); // the umask may have narrowed it; never widened
      }
    } catch (IOException e) {
      throw AuthsomeException.usage("Cannot create the run folder " + dir + ": " + e.getMessage());
    }
  }

  private static void writeFile(Path file, byte[] content) {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes = posix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PUBLIC_FILE)} : new FileAttribute<?>[0];
    try (OutputStream out = java.nio.channels.Channels.newOutputStream(
        Files.newByteChannel(file, options, attributes))) {
      out.write(content);
    } catch (IOException e) {
      throw AuthsomeException.usage("Cannot write " + file + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path f : entries) {
        Files.deleteIfExists(f); // only files are created inside; a stray folder makes the delete below fail
      }
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean the run folder " + dir, e);
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the run folder " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "ChildEnvironment[" + runDir + "]"; // never the variables: they hold the proxy credential
  }
}
