#!/usr/bin/env bash
# Starts the baseline: mitmdump (Debian package mitmproxy) as a credential-injecting proxy, with inject_auth.py.
# Adapted from the shared benchmark harness (tools/bench-proxy/start-mitm.sh).
# Env: WORKDIR (state folder), MITM_PORT (28081), UPSTREAM_CA (PEM mitmproxy trusts for the upstream),
#      INJECT_HOSTS, INJECT_TOKEN, RESOLVE (see inject_auth.py).
# Writes $WORKDIR/mitmdump.pid; its CA is $WORKDIR/mitm-conf/mitmproxy-ca-cert.pem.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
WORKDIR=${WORKDIR:-${TMPDIR:-/tmp}/authsome-proxy-bench}; mkdir -p "$WORKDIR/mitm-conf"
port=${MITM_PORT:-28081}
command -v mitmdump >/dev/null || { echo "mitmdump not found (apt-get install -y mitmproxy)" >&2; exit 2; }
setsid mitmdump -q --listen-host 127.0.0.1 --listen-port "$port" \
  --set confdir="$WORKDIR/mitm-conf" -s "$here/inject_auth.py" \
  --set ssl_verify_upstream_trusted_ca="${UPSTREAM_CA:?UPSTREAM_CA: the upstream CA file}" \
  </dev/null >"$WORKDIR/mitmdump.log" 2>&1 &
echo $! >"$WORKDIR/mitmdump.pid"
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && [ -s "$WORKDIR/mitm-conf/mitmproxy-ca-cert.pem" ] && break
  sleep 0.1
done
echo "mitmdump pid $(cat "$WORKDIR/mitmdump.pid") on 127.0.0.1:$port, CA $WORKDIR/mitm-conf/mitmproxy-ca-cert.pem"
