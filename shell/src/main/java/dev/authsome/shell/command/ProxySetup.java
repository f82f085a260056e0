package dev.authsome.shell.command;

import dev.authsome.core.Authsome;
import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ProxyRoute;
import dev.authsome.core.Settings;
import dev.authsome.proxy.ChildEnvironment;
import dev.authsome.proxy.CredentialProxy;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.proxy.ProxyPolicy;
import dev.authsome.proxy.UpstreamProxy;
import dev.authsome.shell.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What {@code run} and {@code proxy} share: the proxy's options from the settings, starting it, the child
 * environment, the per-run folder. The only shell class that names the proxy module's types, and only the two
 * commands reach it, so the short commands never load Netty, BouncyCastle or Conscrypt.
 */
final class ProxySetup {
  /** The JVM agent that answers the proxy's 407 for {@code HttpURLConnection} children (see proxy/java-agent). */
  static final String AGENT_JAR = "authsome-proxy-agent-" + Authsome.VERSION + ".jar";

  private ProxySetup() {
  }

  /** The options from the settings ({@code proxy.*}) and the parent environment's own proxy. */
  static ProxyOptions options(Authsome engine, Map<String, String> parentEnv) {
    Settings settings = engine.settings();
    Map<String, String> proxy = settings.proxySettings();
    ProxyOptions options = ProxyOptions.defaults();
    options = options.withPolicy(ProxyPolicy.parse(proxy.getOrDefault("policy", "allow"),
        origin(settings, Settings.PROXY_POLICY)));
    String caFile = proxy.getOrDefault("upstream_ca_file", "");
    if (!caFile.isBlank()) {
      Path file = Path.of(caFile.trim());
      if (!Files.isReadable(file)) {
        throw AuthsomeException.usage("proxy.upstream_ca_file = '" + caFile + "' (from "
            + origin(settings, Settings.PROXY_UPSTREAM_CA_FILE) + ") is not a readable PEM file.");
      }
      options = options.withUpstreamCaFile(Optional.of(file.toAbsolutePath()));
    }
    options = options.withResolve(ResolveOverrides.parse(proxy.getOrDefault("resolve", ""),
        origin(settings, Settings.PROXY_RESOLVE)));
    return options.withUpstreamProxy(UpstreamProxy.fromEnvironment(parentEnv));
  }

  /** Whether the settings ask for the persistent CA ({@code proxy.ca: persistent}), and from where. */
  static Optional<String> persistentCaOrigin(Authsome engine) {
    Settings settings = engine.settings();
    String ca = settings.proxySettings().getOrDefault("ca", "ephemeral").trim();
    if (ca.equalsIgnoreCase("ephemeral")) {
      return Optional.empty();
    }
    if (ca.equalsIgnoreCase("persistent")) {
      return Optional.of(origin(settings, Settings.PROXY_CA));
    }
    throw AuthsomeException.usage("proxy.ca = '" + ca + "' (from " + origin(settings, Settings.PROXY_CA)
        + ") must be 'ephemeral' or 'persistent'.");
  }

  static CredentialProxy start(App app, ProxyOptions options) {
    return CredentialProxy.start(app.engine(), options, app.out()::warn);
  }

  /** {@code authsome: proxy on 127.0.0.1:PORT injecting for github, openai (policy allow)}. */
  static String banner(CredentialProxy proxy, ProxyOptions options) {
    String providers = proxy.routes().stream().filter(ProxyRoute::connected).map(ProxyRoute::provider).distinct()
        .collect(Collectors.joining(", "));
    java.net.InetAddress bound = proxy.address().getAddress();
    String host = bound.isAnyLocalAddress() ? "*" : bound.getHostAddress();
    String address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + proxy.address().getPort();
    String policy = " (policy " + options.policy().name().toLowerCase(java.util.Locale.ROOT) + ")";
    return "authsome: proxy on " + address + " injecting for " + (providers.isEmpty()
        ? "no provider" + policy + "; none is connected: run 'authsome login PROVIDER'" : providers + policy);
  }

  /**
   * The child's environment, whole ({@code variables}: the parent's, cleaned and pointed at the proxy by
   * {@link ChildEnvironment}) and only what authsome sets ({@code added}, what {@code authsome proxy} prints), both
   * with the JVM agent in {@code JAVA_TOOL_OPTIONS} when the distribution has it.
   */
  record ChildEnv(Map<String, String> variables, Map<String, String> added) {
  }

  static ChildEnv childEnvironment(App app, CredentialProxy proxy, Path runDir) {
    ChildEnvironment env = ChildEnvironment.prepare(app.environment(), proxy.proxyUrl(), proxy.caCertificatePem(),
        proxy.routes(), runDir);
    Map<String, String> variables = new LinkedHashMap<>(env.variables());
    Map<String, String> added = new java.util.TreeMap<>(env.added());
    agentOption().ifPresent(agent -> {
      String current = variables.getOrDefault("JAVA_TOOL_OPTIONS", "").strip();
      String options = current.isEmpty() ? agent : current + " " + agent;
      variables.put("JAVA_TOOL_OPTIONS", options);
      added.put("JAVA_TOOL_OPTIONS", options);
    });
    return new ChildEnv(variables, added);
  }

  /**
   * {@code -javaagent:<app home>/lib/authsome-proxy-agent-VERSION.jar}: the launcher sets {@code authsome.app.home};
   * without it (tests in a JVM of their own) there is no agent. The JVM splits JAVA_TOOL_OPTIONS on white space
   * and honours quotes, so a path with a space is quoted.
   */
  static Optional<String> agentOption() {
    String home = System.getProperty("authsome.app.home");
    if (home == null || home.isBlank()) {
      return Optional.empty();
    }
    Path jar = Path.of(home, "lib", AGENT_JAR);
    if (!Files.isRegularFile(jar)) {
      return Optional.empty();
    }
    String path = jar.toAbsolutePath().toString();
    return Optional.of(path.chars().anyMatch(Character::isWhitespace) ? "\"-javaagent:" + path + "\""
        : "-javaagent:" + path);
  }

  /** A fresh folder only the user can read, under {@code $AUTHSOME_HOME/run/} (or the temp folder). */
  static Path newRunDir(Path home) {
    try {
      Path parent = home.resolve("run");
      try {
        createPrivateDirectories(parent);
      } catch (IOException e) {
        parent = Path.of(System.getProperty("java.io.tmpdir"));
      }
      return posix(parent)
          ? Files.createTempDirectory(parent, "run-", PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwx------")))
          : Files.createTempDirectory(parent, "run-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the per-run folder: " + e.getMessage(), e);
    }
  }

  /** Creates {@code dir} (and parents) with mode 0700 where the file system has POSIX modes. */
  static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** Deletes {@code dir} and everything in it; best effort (a file that cannot be deleted is left, not fatal). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // nothing secret is in there (certificates and a trust store): leaving it behind is untidy, not unsafe
    }
  }

  private static String origin(Settings settings, String key) {
    return settings.origins().getOrDefault(key, "default");
  }
}
