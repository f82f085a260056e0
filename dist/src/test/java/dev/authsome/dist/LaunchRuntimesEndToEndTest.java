package dev.authsome.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.authsome.dist.Cli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's two ways of starting authsome: the bundled runtime (runtime/, a jlink image with an AOT cache, built
 * when the build machine has a JDK 25+) and a system Java 17 with runtime/ removed; the unpacked tarball on a machine
 * without any Java; and what the short commands load.
 */
class LaunchRuntimesEndToEndTest {
  private static final String KEY = "sk-e2e0000000000000000000000000000000000000000000";
  /** Libraries that only some commands need: no short command may load a class of them. */
  private static final Pattern HEAVY = Pattern.compile("org\\.pf4j|com\\.nimbusds|org\\.jline|io\\.netty"
      + "|org\\.bouncycastle|org\\.conscrypt|dev\\.authsome\\.proxy");

  @TempDir Path home;
  @TempDir Path work;

  @Test
  void bundledRuntime_loginGetList_withNoJavaOnPathOrJavaHome() throws IOException {
    assumeBundledRuntime();
    Cli cli = noJava(new Cli(home));
    loginGetList(cli);
  }

  @Test
  void systemJava17_withTheRuntimeFolderRemoved_loginGetList() throws Exception {
    Cli.assumeComplete();
    Path copy = work.resolve("authsome");
    copyTree(Cli.DIST, copy);
    Cli cli = onTheTestsJava(copy);
    cli.env.put("AUTHSOME_JAVA_OPTS", "-XshowSettings:properties");
    loginGetList(cli);
    Result r = cli.run("--help");
    assertThat(r.err()).as("runs on the test's own Java").contains("java.home = " + System.getProperty("java.home"));
  }

  @Test
  void unpackedTarball_getWorksWithJavaHomeUnsetAndNoJavaOnPath() throws Exception {
    assumeBundledRuntime();
    Path tarball = Cli.DIST.resolveSibling("authsome-" + dev.authsome.core.Authsome.VERSION + ".tar.gz");
    assertThat(tarball).as("the build writes the tarball").exists();
    Path unpacked = work.resolve("unpacked");
    Files.createDirectories(unpacked);
    Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()).inheritIO().start();
    assertThat(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar -xzf").isTrue();
    Cli cli = noJava(new Cli(home));
    cli.launcher = unpacked.resolve("authsome-" + dev.authsome.core.Authsome.VERSION + "/bin/authsome");
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    Result get = cli.run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.out().trim()).isEqualTo(KEY);
  }

  @Test
  void bundledRuntime_pipedStandardInput_isNotATerminal_andNoJvmWarningReachesTheUser() {
    assumeBundledRuntime();
    Cli cli = noJava(new Cli(home));
    // Java 22+ has a console even on pipes: no command must still be a usage error, not a shell or a prompt
    Cli.Running none = cli.start(null, false);
    Result r = none.finish();
    assertThat(r.exit()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("Usage:");
    // `run` loads Netty, Conscrypt and BouncyCastle: no native-access or sun.misc.Unsafe warning on Java 25
    Result run = cli.run("run", "--", "true");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).doesNotContain("WARNING");
  }

  @Test
  void shortCommands_loadNoPluginHostOAuthTerminalOrProxyLibrary() {
    Cli.assumeComplete();
    Cli cli = new Cli(home);
    assertThat(cli.feed(KEY + "\n", "login", "openai", "--stdin").exit()).isZero();
    // The bundled runtime's AOT cache loads every class it holds at startup (JEP 483), so class loading shows what a
    // command needs only without it; the cache's classes are mapped, not loaded from the jars.
    boolean bundled = Files.isExecutable(Cli.DIST.resolve("runtime/bin/java"));
    cli.env.put("AUTHSOME_JAVA_OPTS", (bundled ? "-XX:AOTMode=off " : "") + "-Xlog:class+load=info");
    for (String[] command : new String[][] {{"--help"}, {"get", "openai", "--field", "status"},
        {"get", "openai", "--field", "api_key", "--show-secret"}, {"export", "openai", "--format", "env"},
        {"list"}, {"list", "--json"}, {"whoami"}, {"__complete", "--", "get", "o"}}) {
      Result r = cli.run(command);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).as("class loading is logged").contains("java.lang.Object");
      assertThat(r.out().lines().filter(l -> HEAVY.matcher(l).find()).limit(5))
          .as(String.join(" ", command)).isEmpty();
    }
  }

  /**
   * {@code authsome --version} alone is answered by the launcher without starting Java (scripts check it over and
   * over), with the line the JVM prints; every other command still starts it.
   */
  @Test
  void version_isAnsweredByTheLauncher_withoutStartingJava() throws IOException {
    Cli.assumeComplete();
    // a launcher alone, beside a "JDK" whose java only leaves a mark
    Path app = work.resolve("app");
    Files.createDirectories(app.resolve("bin"));
    Files.createDirectories(app.resolve("lib/ext"));
    Files.copy(Cli.LAUNCHER, app.resolve("bin/authsome"));
    Path jdk = Files.createDirectories(work.resolve("jdk/bin"));
    Path mark = work.resolve("java-was-started");
    Files.writeString(jdk.resolve("java"), "#!/bin/sh\ntouch '" + mark + "'\nexit 3\n");
    jdk.resolve("java").toFile().setExecutable(true);
    Files.writeString(work.resolve("jdk/release"), "JAVA_VERSION=\"17.0.9\"\n");
    Cli cli = new Cli(home);
    cli.launcher = app.resolve("bin/authsome");
    cli.env.put("JAVA_HOME", work.resolve("jdk").toString());
    for (String flag : List.of("--version", "-v")) {
      Result r = cli.run(flag);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.out()).isEqualTo("authsome " + dev.authsome.core.Authsome.VERSION + "\n");
      assertThat(mark).as("no JVM started for " + flag).doesNotExist();
    }
    // the fake java does notice a start: any other command line reaches it
    assertThat(cli.run("--no-color", "--version").exit()).isEqualTo(3);
    assertThat(mark).exists();
    // and the real distribution's JVM prints the same line
    Result jvm = new Cli(home).run("--no-color", "--version");
    assertThat(jvm.out()).isEqualTo("authsome " + dev.authsome.core.Authsome.VERSION + "\n");
  }

  /**
   * Each AOT cache matches the class path the launcher gives its commands: a cache that does not match is dropped
   * without a word, and every start would be slower. {@code -XX:AOTMode=on} makes the JVM refuse to start instead.
   */
  @Test
  void bundledRuntime_eachAotCacheMatchesTheClassPathOfItsCommands() throws IOException {
    assumeBundledRuntime();
    assertThat(Cli.DIST.resolve("lib/authsome.aot")).as("cache for the short commands").isNotEmptyFile();
    assertThat(Cli.DIST.resolve("lib/authsome-full.aot")).as("cache for the shell and the rest").isNotEmptyFile();
    Cli cli = new Cli(home);
    cli.env.put("AUTHSOME_JAVA_OPTS", "-XX:AOTMode=on -Xlog:aot=info:stderr");
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    assertThat(login.err()).as("login starts with lib/ext: the shell's cache")
        .contains("Opened AOT cache " + Cli.DIST.resolve("lib/authsome-full.aot").toRealPath());
    for (String[] command : new String[][] {{"--help"}, {"list"}, {"export", "openai", "--format", "env"}}) {
      Result r = cli.run(command);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.err()).as(String.join(" ", command) + " starts on lib/ alone: the short commands' cache")
          .contains("Opened AOT cache " + Cli.DIST.resolve("lib/authsome.aot").toRealPath() + ".");
    }
    assertThat(Cli.DIST.resolve("lib/authsome-get.aot")).as("cache for get").isNotEmptyFile();
    Result get = cli.run("get", "openai", "--field", "status");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.err()).as("get starts on lib/ alone, with its own cache")
        .contains("Opened AOT cache " + Cli.DIST.resolve("lib/authsome-get.aot").toRealPath() + ".");
    assertThat(Cli.DIST.resolve("lib/authsome-proxy.aot")).as("cache for run and proxy").isNotEmptyFile();
    Result run = cli.run("run", "--", "true");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).as("run starts the proxy: its own cache")
        .contains("Opened AOT cache " + Cli.DIST.resolve("lib/authsome-proxy.aot").toRealPath() + ".");
  }

  /**
   * No class-data archive or AOT cache holds a class of a signed jar, so the build ships BouncyCastle (the proxy's
   * certificates) without its signature files; its classes are BouncyCastle's own, byte for byte.
   */
  @Test
  void bouncyCastleJars_shipWithoutSignatureFiles_andWithTheirClassesUnchanged() throws IOException {
    Cli.assumeComplete();
    try (var jars = Files.list(Cli.DIST.resolve("lib/ext"))) {
      List<Path> bc = jars.filter(p -> p.getFileName().toString().startsWith("bc")).toList();
      assertThat(bc).hasSize(3);
      for (Path jar : bc) {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
          assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
              .as(jar.toString()).noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
              .contains("META-INF/MANIFEST.MF");
          // the jar as published, in Maven's local repository
          String name = jar.getFileName().toString();
          String artifact = name.substring(0, name.lastIndexOf('-'));
          String version = name.substring(name.lastIndexOf('-') + 1, name.length() - ".jar".length());
          Path original = Path.of(System.getProperty("authsome.m2", System.getProperty("user.home") + "/.m2/repository"),
              "org/bouncycastle", artifact, version, name);
          assertThat(original).as("the jar as Maven resolved it").isRegularFile();
          try (var signed = new java.util.zip.ZipFile(original.toFile())) {
            assertThat(signed.stream().map(java.util.zip.ZipEntry::getName)).as("%s is signed", original)
                .anyMatch(n -> n.endsWith(".SF"));
            assertThat(zip.size()).isEqualTo(signed.size() - 2); // the .SF and the signature block
            // the manifest without the signature's per-class digests, its main section unchanged
            try (var unsignedJar = new java.util.jar.JarFile(jar.toFile());
                var signedJar = new java.util.jar.JarFile(original.toFile())) {
              assertThat(signedJar.getManifest().getEntries()).as("digests in the published manifest").isNotEmpty();
              assertThat(unsignedJar.getManifest().getEntries()).as("per-class sections").isEmpty();
              assertThat(unsignedJar.getManifest().getMainAttributes())
                  .isEqualTo(signedJar.getManifest().getMainAttributes()).containsKey(
                      new java.util.jar.Attributes.Name("Multi-Release"));
              assertThat(Files.size(jar)).isLessThan(Files.size(original));
            }
            signed.stream().filter(e -> e.getName().endsWith(".class")).forEach(e -> {
              try (var a = signed.getInputStream(e); var b = zip.getInputStream(zip.getEntry(e.getName()))) {
                assertThat(b.readAllBytes()).as(e.getName()).isEqualTo(a.readAllBytes());
              } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
              }
            });
          }
        }
      }
    }
  }

  /**
   * The launcher starts the short commands without lib/ext (the proxy's and the terminal's libraries). Without any
   * class-data archive and with every class verified, none of them may reach into it: the verifier then loads what a
   * method's types need, which an archive's pre-verified classes would hide.
   */
  @Test
  void shortCommands_needNothingFromLibExt_evenWithoutArchivesAndWithEveryClassVerified() throws Exception {
    Cli.assumeComplete();
    Path copy = work.resolve("authsome");
    copyTree(Cli.DIST, copy);
    assertThat(copy.resolve("lib/ext")).as("the build puts the proxy and terminal libraries in lib/ext")
        .isDirectoryContaining(p -> p.getFileName().toString().startsWith("netty-common"))
        .isDirectoryContaining(p -> p.getFileName().toString().startsWith("jline-"));
    Files.deleteIfExists(copy.resolve("lib/authsome.jsa"));
    Files.deleteIfExists(copy.resolve("lib/authsome-full.jsa"));
    Cli cli = onTheTestsJava(copy);
    cli.env.put("AUTHSOME_JAVA_OPTS", "-Xshare:off -Xverify:all");
    // a connection for the short commands to read (login is not one of them)
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    deleteTree(copy.resolve("lib/ext"));
    for (String[] command : new String[][] {{"--version"}, {"--help"}, {"get", "openai", "--field", "status"},
        {"get", "openai", "--field", "api_key", "--show-secret"}, {"export", "openai", "--format", "env"},
        {"list"}, {"list", "--json"}, {"whoami"}, {"inspect", "openai"}, {"log"},
        {"__complete", "--", "get", "o"}, {"completion", "bash"}}) {
      Result r = cli.run(command);
      assertThat(r.exit()).as(r.toString()).isZero();
      assertThat(r.err()).as(String.join(" ", command)).doesNotContain("NoClassDefFound", "ClassNotFound");
    }
    assertThat(cli.run("get", "openai", "--field", "api_key", "--show-secret").out().trim()).isEqualTo(KEY);
    // and a command that does need lib/ext says so instead of failing somewhere inside
    Result run = cli.run("run", "--", "true");
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().trim()).isEqualTo("authsome: " + copy.toRealPath().resolve("lib/ext")
        + " is missing (the proxy's and the terminal's libraries); reinstall authsome.");
  }

  /**
   * A Java 17-24 class-data archive records the absolute paths of its jars, so the one the build writes serves only the
   * build tree. A copied install on a system Java writes its own into the user's cache (XDG_CACHE_HOME), once for each
   * class path: the short commands' at the first of them, the rest's at the first login (never at a `run`, which is
   * not exec'd then), and every later start on that class path maps it.
   */
  @Test
  void systemJava_copiedInstall_writesItsOwnClassDataArchivesOnce_andMapsThemFromThenOn() throws Exception {
    Cli cli = copiedInstallWithItsOwnCache();
    Path archives = work.resolve("cache/authsome/cds");
    Result first = cli.run("list");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(first.err()).isEmpty();
    List<Path> shortArchive = listFolder(archives);
    assertThat(shortArchive).as("one archive, no temporary file left").singleElement()
        .satisfies(p -> assertThat(p.getFileName().toString()).matches("authsome-short-[0-9]+\\.jsa"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archives))).isEqualTo("rwx------");
    FileTime writtenAt = Files.getLastModifiedTime(shortArchive.get(0));

    Result run = cli.run("run", "--", "true");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(listFolder(archives)).as("run writes none").containsExactlyElementsOf(shortArchive);
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    List<Path> both = listFolder(archives);
    assertThat(both).hasSize(2).contains(shortArchive.get(0)).anySatisfy(
        p -> assertThat(p.getFileName().toString()).matches("authsome-full-[0-9]+\\.jsa"));

    Path classLog = work.resolve("class-load.log");
    cli.env.put("AUTHSOME_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
    Result export = cli.run("export", "openai", "--format", "env");
    assertThat(export.exit()).as(export.toString()).isZero();
    assertThat(Files.readString(classLog)).as("authsome's classes come from the short commands' archive")
        .contains("dev.authsome.core.Authsome source: shared objects file (top)");
    Files.delete(classLog);
    Result second = cli.feed(KEY + "\n", "login", "openai", "--connection", "two", "--stdin");
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(Files.readString(classLog)).as("and from login's, for login")
        .contains("dev.authsome.core.Authsome source: shared objects file (top)");
    assertThat(listFolder(archives)).containsExactlyElementsOf(both);
    assertThat(Files.getLastModifiedTime(shortArchive.get(0))).as("written once").isEqualTo(writtenAt);
  }

  /**
   * The interactive shell loads what no other command does (JLine's terminal, the completion model): a copied install
   * on a system Java writes it an archive of its own when it ends, which a later shell maps. A login's archive, written
   * first, is not the shell's.
   */
  @Test
  void systemJava_copiedInstall_theInteractiveShellWritesAnArchiveOfItsOwn() throws Exception {
    Tmux.assumeInstalled();
    Cli cli = copiedInstallWithItsOwnCache();
    Path archives = work.resolve("cache/authsome/cds");
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    Map<String, String> env = Tmux.environment(home);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
    try (Tmux shell = Tmux.startLauncher(cli.launcher, env)) {
      shell.waitForPrompt();
      shell.type("exit");
      shell.press("Enter");
      shell.waitForText("[authsome exited 0]");
    }
    assertThat(listFolder(archives)).extracting(p -> p.getFileName().toString().replaceAll("-[0-9]+", ""))
        .containsExactly("authsome-full.jsa", "authsome-shell.jsa");

    Path classLog = work.resolve("class-load.log");
    env.put("AUTHSOME_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
    try (Tmux shell = Tmux.startLauncher(cli.launcher, env)) {
      shell.waitForPrompt();
      shell.type("exit");
      shell.press("Enter");
      shell.waitForText("[authsome exited 0]");
    }
    assertThat(Files.readString(classLog)).as("the second shell maps it")
        .contains("org.jline.reader.impl.LineReaderImpl source: shared objects file (top)");
  }

  /**
   * Java 17 refuses to start, instead of skipping the archive, when asked to write one without a base archive of the
   * JDK's own under it. A JVM that cannot map its base archive (here: one that always runs with -Xshare:off, and whose
   * folder holds none) still runs every command, and no archive is attempted.
   */
  @Test
  void systemJava_withoutItsOwnBaseArchive_runsShortCommands_andWritesNoArchive() throws Exception {
    Cli cli = copiedInstallWithItsOwnCache();
    Path jdk = work.resolve("jdk-without-archives");
    Files.createDirectories(jdk.resolve("bin"));
    Files.createDirectories(jdk.resolve("lib/server"));
    Files.copy(Path.of(System.getProperty("java.home"), "release"), jdk.resolve("release"));
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin/java")
        + "' -Xshare:off \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    cli.env.put("JAVA_HOME", jdk.toString());
    loginGetList(cli);
    assertThat(work.resolve("cache/authsome/cds")).as("no archive attempted").doesNotExist();
  }

  /** A copy of the distribution on the test's own Java, whose user cache (XDG_CACHE_HOME) is work/cache. */
  private Cli copiedInstallWithItsOwnCache() throws IOException {
    Cli.assumeComplete();
    Path copy = work.resolve("authsome");
    copyTree(Cli.DIST, copy);
    Cli cli = onTheTestsJava(copy);
    cli.env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
    return cli;
  }

  private static List<Path> listFolder(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /** The launcher of a copied distribution, without its bundled runtime and AOT caches, on the test's own Java. */
  private Cli onTheTestsJava(Path copy) throws IOException {
    deleteTree(copy.resolve("runtime"));
    Files.deleteIfExists(copy.resolve("lib/authsome.aot"));
    Files.deleteIfExists(copy.resolve("lib/authsome-get.aot"));
    Files.deleteIfExists(copy.resolve("lib/authsome-full.aot"));
    Cli cli = new Cli(home);
    cli.launcher = copy.resolve("bin/authsome");
    cli.env.put("JAVA_HOME", System.getProperty("java.home"));
    return cli;
  }

  private static void loginGetList(Cli cli) {
    Result login = cli.feed(KEY + "\n", "login", "openai", "--stdin");
    assertThat(login.exit()).as(login.toString()).isZero();
    Result get = cli.run("get", "openai", "--field", "api_key", "--show-secret");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.out().trim()).isEqualTo(KEY);
    Result status = cli.run("get", "openai", "--field", "status");
    assertThat(status.out().trim()).isEqualTo("connected");
    Result list = cli.run("list", "--json");
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("\"openai\"");
  }

  /** JAVA_HOME unset and a PATH holding only the few tools the launcher uses (none of them a java). */
  private Cli noJava(Cli cli) {
    try {
      Path bin = Files.createDirectories(work.resolve("nojava-bin"));
      for (String tool : List.of("sh", "sed", "dirname", "readlink", "ls", "cat", "head", "tr", "uname", "true")) {
        Path target = which(tool);
        if (target != null && !Files.exists(bin.resolve(tool))) {
          Files.createSymbolicLink(bin.resolve(tool), target);
        }
      }
      assertThat(bin.resolve("java")).doesNotExist();
      cli.unset.add("JAVA_HOME");
      cli.env.put("PATH", bin.toString());
      return cli;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path which(String tool) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Skips (printing why) when the distribution has no runtime/; that is expected only when the build machine had no
   * JDK 25+, so with AUTHSOME_TEST_REQUIRE_ALL=1 a missing runtime fails where such a JDK is installed.
   */
  static void assumeBundledRuntime() {
    Cli.assumeComplete();
    if (Files.isExecutable(Cli.DIST.resolve("runtime/bin/java"))) {
      return;
    }
    List<Path> jdks = jdk25s();
    String reason = "the distribution at " + Cli.DIST + " has no bundled runtime (the build found no JDK 25+)";
    if ("1".equals(System.getenv("AUTHSOME_TEST_REQUIRE_ALL")) && !jdks.isEmpty()) {
      fail(reason + ", yet this machine has " + jdks);
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  private static List<Path> jdk25s() {
    List<Path> found = new ArrayList<>();
    for (String root : List.of("/usr/lib/jvm", "/opt")) {
      try (var dirs = Files.list(Path.of(root))) {
        dirs.forEach(d -> {
          try {
            String release = Files.readString(d.resolve("release"));
            var m = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
            if (m.find() && Integer.parseInt(m.group(1)) >= 25 && Files.isExecutable(d.resolve("bin/jlink"))) {
              found.add(d);
            }
          } catch (IOException | RuntimeException e) {
            // not a JDK
          }
        });
      } catch (IOException e) {
        // no such folder
      }
    }
    return found;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    try {
      if (!cp.waitFor(120, TimeUnit.SECONDS) || cp.exitValue() != 0) {
        throw new IOException("cp -a " + from + " " + to + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
