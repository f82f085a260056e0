// Benchmark only (never shipped): starts authsome's credential proxy engine the way `authsome proxy` does, for a
// checkout whose CLI has no `proxy` command yet. bench/proxy-bench.sh runs it with the source launcher:
//   java -cp "<dist>/lib/*:<proxy jar and its dependencies>" -Dauthsome.app.home=<dist> BenchProxy.java PORT OUT_DIR
// Reads AUTHSOME_HOME, AUTHSOME_PROXY_RESOLVE and AUTHSOME_UPSTREAM_CA_FILE like the real command; writes
// OUT_DIR/ca.pem and prints {"proxy_url": ..., "ca_file": ...} on stdout; runs until killed.
import dev.authsome.core.Authsome;
import dev.authsome.plugins.PluginHost;
import dev.authsome.plugins.PluginHostConfig;
import dev.authsome.proxy.CredentialProxy;
import dev.authsome.proxy.ProxyOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

public final class BenchProxy {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    Path home = Authsome.Builder.defaultHome(System.getenv());
    PluginHost plugins = PluginHost.open(new PluginHostConfig(home,
        Path.of(System.getProperty("authsome.app.home"), "plugins"), true));
    Authsome authsome = Authsome.builder().home(home).catalogue(plugins.catalogue()).flows(plugins.flows())
        .warnings(System.err::println).build();
    Map<String, InetSocketAddress> resolve = new HashMap<>();
    for (String item : System.getenv().getOrDefault("AUTHSOME_PROXY_RESOLVE", "").split(",")) {
      if (!item.isBlank()) { // host:port=addr:port
        String[] kv = item.trim().split("=", 2);
        int colon = kv[1].lastIndexOf(':');
        resolve.put(kv[0], new InetSocketAddress(kv[1].substring(0, colon),
            Integer.parseInt(kv[1].substring(colon + 1))));
      }
    }
    String ca = System.getenv().getOrDefault("AUTHSOME_UPSTREAM_CA_FILE", "");
    ProxyOptions options = ProxyOptions.defaults().withPort(port).withResolve(resolve)
        .withUpstreamCaFile(ca.isBlank() ? Optional.empty() : Optional.of(Path.of(ca)));
    CredentialProxy proxy = CredentialProxy.start(authsome, options, System.err::println);
    Path caFile = out.resolve("ca.pem");
    Files.writeString(caFile, proxy.caCertificatePem());
    System.out.println("{\"proxy_url\":\"" + proxy.proxyUrl() + "\",\"ca_file\":\"" + caFile + "\"}");
    System.out.flush();
    System.err.println("bench proxy on " + proxy.address() + " (TLS " + proxy.tlsProvider() + ", " + proxy.transport() + ")");
    Thread.sleep(Long.MAX_VALUE);
  }
}
