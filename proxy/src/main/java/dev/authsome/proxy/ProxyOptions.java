package dev.authsome.proxy;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run the proxy.
 *
 * @param bindAddress where to listen; loopback unless {@code allowRemote}
 * @param port the port to listen on, 0 for an ephemeral one
 * @param allowRemote whether a non-loopback {@code bindAddress} is accepted (containers); the proxy credential is
 *     required either way
 * @param policy what happens to traffic without a route
 * @param resolve host:port to the address to dial instead ({@code proxy.resolve}, like curl's {@code --resolve})
 * @param upstreamCaFile extra PEM roots trusted for upstream TLS besides the system's (corporate CAs, tests)
 * @param upstreamProxy the parent environment's own proxy settings, honoured for the upstream leg
 * @param persistentCa keep the CA in the vault across runs (for setups that install it in a trust store) instead of
 *     a fresh one that exists only in this process
 */
public record ProxyOptions(String bindAddress, int port, boolean allowRemote, ProxyPolicy policy,
    Map<String, InetSocketAddress> resolve, Optional<Path> upstreamCaFile, UpstreamProxy upstreamProxy,
    boolean persistentCa) {

  public ProxyOptions {
    requireNonNull(bindAddress, "bindAddress");
    requireNonNull(policy, "policy");
    resolve = Map.copyOf(resolve);
    requireNonNull(upstreamCaFile, "upstreamCaFile");
    requireNonNull(upstreamProxy, "upstreamProxy");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
  }

  /** Loopback, an ephemeral port, policy allow, no resolve overrides, system roots only, no upstream proxy. */
  public static ProxyOptions defaults() {
    return new ProxyOptions("127.0.0.1", 0, false, ProxyPolicy.ALLOW, Map.of(), Optional.empty(),
        UpstreamProxy.NONE, false);
  }

  public ProxyOptions withPort(int newPort) {
    return new ProxyOptions(bindAddress, newPort, allowRemote, policy, resolve, upstreamCaFile, upstreamProxy, persistentCa);
  }

  public ProxyOptions withBind(String address, boolean remote) {
    return new ProxyOptions(address, port, remote, policy, resolve, upstreamCaFile, upstreamProxy, persistentCa);
  }

  public ProxyOptions withPolicy(ProxyPolicy newPolicy) {
    return new ProxyOptions(bindAddress, port, allowRemote, newPolicy, resolve, upstreamCaFile, upstreamProxy, persistentCa);
  }

  public ProxyOptions withResolve(Map<String, InetSocketAddress> newResolve) {
    return new ProxyOptions(bindAddress, port, allowRemote, policy, newResolve, upstreamCaFile, upstreamProxy, persistentCa);
  }

  public ProxyOptions withUpstreamCaFile(Optional<Path> file) {
    return new ProxyOptions(bindAddress, port, allowRemote, policy, resolve, file, upstreamProxy, persistentCa);
  }

  public ProxyOptions withPersistentCa(boolean persistent) {
    return new ProxyOptions(bindAddress, port, allowRemote, policy, resolve, upstreamCaFile, upstreamProxy,
        persistent);
  }

  public ProxyOptions withUpstreamProxy(UpstreamProxy proxy) {
    return new ProxyOptions(bindAddress, port, allowRemote, policy, resolve, upstreamCaFile, proxy, persistentCa);
  }
}
