/**
 * The proxy's TLS: a per-run, name-constrained certificate authority, the leaves it mints per intercepted host, and the
 * Netty contexts for both legs (Conscrypt when it loads, else the JDK). Not exported: only the proxy engine and
 * {@link dev.authsome.proxy.ChildEnvironment} use it.
 */
@NullMarked
package dev.authsome.proxy.tls;

import org.jspecify.annotations.NullMarked;
