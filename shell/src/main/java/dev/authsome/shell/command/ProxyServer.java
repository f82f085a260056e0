package dev.authsome.shell.command;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import dev.authsome.proxy.CredentialProxy;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.shell.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One {@code authsome proxy}: checks the request, starts the proxy, writes its CA certificate to
 * {@code $AUTHSOME_HOME/proxy/ca.pem} and the child environment's files beside it, prints what an agent should set,
 * and waits for Ctrl-C, SIGTERM or SIGHUP; then stops the proxy and deletes those files (the certificate stays when
 * the CA is the persistent one, kept in the vault). One proxy per home: a second start is refused while the first
 * runs. Also the {@code proxy ca} subcommands, which need the proxy module for the persistent CA.
 */
final class ProxyServer {
  /** The command line of one start. */
  record Request(int port, String bind, boolean allowRemote, boolean persistentCa) {
  }

  private ProxyServer() {
  }

  static int serve(App app, Request request) {
    check(app, request);
    boolean persistent = request.persistentCa() || ProxySetup.persistentCaOrigin(app.engine()).isPresent();
    ProxyOptions options = ProxySetup.options(app.engine(), app.environment()).withPort(request.port())
        .withBind(request.bind(), request.allowRemote()).withPersistentCa(persistent);
    Path dir = ProxyCommand.proxyDir(app);
    Path caFile = ProxyCommand.caFile(app);
    Path envDir = dir.resolve("env");
    CountDownLatch stop = new CountDownLatch(1);
    List<Runnable> restores = new ArrayList<>();
    try (FileChannel lockFile = lock(dir)) {
      for (String signal : List.of("INT", "TERM", "HUP")) {
        restores.add(Signals.handle(signal, s -> stop.countDown()));
      }
      try (CredentialProxy proxy = ProxySetup.start(app, options)) {
        writeCa(caFile, proxy.caCertificatePem());
        ProxySetup.deleteTree(envDir);
        ProxySetup.createPrivateDirectories(envDir);
        Map<String, String> env = ProxySetup.childEnvironment(app, proxy, envDir).added();
        print(app, proxy, caFile, env);
        app.out().note(ProxySetup.banner(proxy, options) + "; Ctrl-C to stop");
        awaitUninterruptibly(stop);
      } finally {
        if (!persistent) {
          Files.deleteIfExists(caFile); // its key is gone: a stale copy would only mislead
        }
        ProxySetup.deleteTree(envDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      restores.forEach(Runnable::run);
    }
    app.out().note("authsome: proxy stopped");
    return 0;
  }

  private static void check(App app, Request request) {
    if (request.port() < 0 || request.port() > 65_535) {
      throw AuthsomeException.usage("--port " + request.port() + " is outside 0-65535.");
    }
    if (!request.allowRemote() && !loopback(request.bind())) {
      throw AuthsomeException.usage("--bind " + request.bind() + " is not a loopback address: add --allow-remote to "
          + "accept connections from other hosts (they still need the proxy credential).");
    }
  }

  private static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw AuthsomeException.usage("--bind " + bind + " is not an address of this host.");
    }
  }

  /** Locks {@code dir/.lock} for the life of this proxy; a second proxy on the same home is refused. */
  static FileChannel lock(Path dir) throws IOException {
    ProxySetup.createPrivateDirectories(dir);
    FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new AuthsomeException(ErrorCode.PORT_IN_USE, "Another 'authsome proxy' is already running for "
          + dir.getParent() + "; stop it first (one proxy per home).");
    }
    return channel; // closing the channel releases the lock
  }

  /**
   * The CA file of {@code proxy ca path|export}: the running proxy's, else the persistent CA's (written out on
   * demand); without either, a usage error saying to start the proxy.
   */
  static Path caFileForExport(App app) {
    Path file = ProxyCommand.caFile(app);
    if (Files.isRegularFile(file)) {
      return file;
    }
    java.util.Optional<String> persistent = CredentialProxy.persistentCaPem(app.engine());
    if (persistent.isEmpty()) {
      throw AuthsomeException.usage("No proxy CA at " + file + ": it exists only while 'authsome proxy' runs "
          + "(each start makes a new one unless --persistent-ca). Start 'authsome proxy' first.");
    }
    try {
      ProxySetup.createPrivateDirectories(file.getParent());
      writeCa(file, persistent.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** {@code proxy ca rotate}: a new persistent CA, refused while a proxy of this home runs with the old one. */
  static Path rotate(App app) {
    Path dir = ProxyCommand.proxyDir(app);
    try (FileChannel ignored = lock(dir)) {
      String pem = CredentialProxy.rotatePersistentCa(app.engine());
      Path file = ProxyCommand.caFile(app);
      writeCa(file, pem);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeCa(Path caFile, String pem) throws IOException {
    Path tmp = caFile.resolveSibling(caFile.getFileName() + ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // a certificate is public: readable by whoever mounts it into a container
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.move(tmp, caFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void print(App app, CredentialProxy proxy, Path caFile, Map<String, String> env) {
    if (app.globals().json()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("proxy_url", proxy.proxyUrl().toString());
      json.put("ca_file", caFile.toString());
      json.put("env", env);
      app.out().json(json);
    } else {
      env.forEach((k, v) -> app.out().value("export " + k + "=" + ExportCommand.shellQuote(v)));
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
