package dev.authsome.proxy.tls;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.authsome.core.AuthsomeException;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsyncMapping;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The agent-facing server context for each intercepted host, for Netty's {@code SniHandler}. A leaf is minted the
 * first time a host is seen (once, however many connections ask at the same moment) and its context kept in a
 * bounded cache: building a context costs a key pair, a signature and an {@code SSLContext}.
 */
public final class LeafContexts implements AsyncMapping<String, SslContext> {
  /** Far more hosts than any route table names; the bound only stops a flood of names from growing memory. */
  static final int MAXIMUM_SIZE = 1024;

  private final CertificateAuthority ca;
  private final TlsProviders tls;
  private final List<String> alpn;
  private final Cache<String, SslContext> contexts;
  private final AtomicLong minted = new AtomicLong();
  private final Executor minting;

  /** Contexts offering {@code alpn}, with leaves from {@code ca}. */
  public LeafContexts(CertificateAuthority ca, TlsProviders tls, List<String> alpn) {
    this.ca = requireNonNull(ca, "ca");
    this.tls = requireNonNull(tls, "tls");
    this.alpn = List.copyOf(alpn);
    this.contexts = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE).build();
    // minting takes milliseconds of CPU: keep it off the event loop that asked
    this.minting = ForkJoinPool.commonPool();
  }

  /**
   * The context for {@code host}, minting its leaf on first use; concurrent first calls for one host mint once.
   *
   * @throws AuthsomeException when the CA does not permit {@code host}
   */
  public SslContext forHost(String host) {
    requireNonNull(host, "host");
    if (!ca.permits(host)) {
      throw AuthsomeException.usage("The proxy does not intercept '" + host + "': its CA is limited to "
          + ca.permittedDnsNames() + ".");
    }
    // Caffeine runs the loader once per key while other callers for that key wait: that is the single flight
    return contexts.get(key(host), this::mint);
  }

  /** How many leaves were minted so far. */
  public long minted() {
    return minted.get();
  }

  /**
   * For {@code SniHandler}: completes with the host's context, failing for a host the CA does not permit or when the
   * client sent no SNI ({@code null}), since the leaf is named after it. Cached contexts complete at once; a new
   * leaf is minted off the calling event loop.
   */
  @Override
  public Future<SslContext> map(@Nullable String input, Promise<SslContext> promise) {
    if (input == null) {
      return promise.setFailure(AuthsomeException.usage("The client sent no TLS server name (SNI);"
          + " the proxy only intercepts named hosts."));
    }
    SslContext cached = contexts.getIfPresent(key(input));
    if (cached != null) {
      return promise.setSuccess(cached);
    }
    try {
      minting.execute(() -> {
        try {
          promise.trySuccess(forHost(input));
        } catch (RuntimeException e) {
          promise.tryFailure(e);
        }
      });
    } catch (RuntimeException e) {
      promise.tryFailure(e);
    }
    return promise;
  }

  private SslContext mint(String host) {
    SslContext context = tls.serverContext(ca.issue(host), alpn);
    minted.incrementAndGet();
    return context;
  }

  private static String key(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
