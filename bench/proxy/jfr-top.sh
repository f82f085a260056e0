#!/usr/bin/env bash
# Where a JVM's CPU time goes, from a JFR recording (async-profiler is not available here):
#   jfr print --events jdk.ExecutionSample   (threads running Java code), summarised as a split by component (the
#   component of the innermost frame that is not plain JDK library code), the hottest self frames and the hottest
#   frames anywhere in the stack; and jdk.NativeMethodSample (threads inside native code: Conscrypt's BoringSSL,
#   socket reads and writes), without the event loops' idle epoll wait.
# Usage: bench/proxy/jfr-top.sh RECORDING.jfr [N=25]
set -euo pipefail
summarise() {
  python3 -c '
import collections, re, sys
n, title, skip = int(sys.argv[1]), sys.argv[2], sys.argv[3]
self_c, incl, comp = collections.Counter(), collections.Counter(), collections.Counter()
total = skipped = 0
def component(frames):
    for f in frames:
        if f.startswith(("org.conscrypt.", "sun.security.ssl.", "io.netty.handler.ssl.", "javax.net.ssl.")): return "TLS"
        if f.startswith("io.netty.handler.codec.http."): return "HTTP codec (Netty)"
        if f.startswith("dev.authsome."): return "authsome (engine, routes, credentials)"
        if f.startswith(("sun.nio.ch.", "java.nio.channels.", "io.netty.channel.nio.", "io.netty.channel.socket.")): return "socket I/O"
        if f.startswith("io.netty."): return "Netty (pipeline, buffers, event loop)"
        if f.startswith(("jdk.jfr.", "jdk.internal.event")): return "JFR itself"
    return "JDK only (no other frame)"
frames, inside = [], False
for line in sys.stdin:
    if "stackTrace = [" in line:
        inside, frames = True, []
        continue
    if not inside:
        continue
    t = line.strip()
    if t.startswith("]"):
        inside = False
        if not frames:
            continue
        if skip and frames[0].startswith(skip):
            skipped += 1
            continue
        total += 1
        self_c[frames[0]] += 1
        for f in set(frames): incl[f] += 1
        comp[component(frames)] += 1
    elif t != "...":
        frames.append(re.sub(r"\s+line:.*$", "", t))
print(f"== {title}: {total} samples" + (f" ({skipped} idle in {skip} left out)" if skip else ""))
if not total: sys.exit(0)
print("-- by component (innermost frame that is not plain JDK code)")
for k, v in comp.most_common(): print(f"{100*v/total:5.1f}%  {k}")
print(f"-- top {n} self frames")
for k, v in self_c.most_common(n): print(f"{100*v/total:5.1f}%  {k}")
print(f"-- top {n} inclusive frames")
for k, v in incl.most_common(n): print(f"{100*v/total:5.1f}%  {k}")
print()
' "$@"
}
jfr print --stack-depth 96 --events jdk.ExecutionSample "$1" | summarise "${2:-25}" "Java execution samples" ""
jfr print --stack-depth 96 --events jdk.NativeMethodSample "$1" | summarise "${2:-25}" "native method samples" "sun.nio.ch.EPoll.wait"
