#!/usr/bin/env bash
# The HTTP/2 and gRPC benchmark of issue 13: HTTP/2 requests/s and p50/p99 latency directly against a local nginx
# (`listen ... ssl http2`) and through authsome's credential proxy, at 1 and 8 connections with 10 streams in flight
# on each; and gRPC unary calls/s and p50/p99 directly against a grpc-java server and through the proxy, at 1 and 8
# channels with 10 calls in flight on each. Same clients for direct and proxied runs (bench/proxy/h2load.mjs: Node's
# http2 over a CONNECT tunnel, since h2load cannot use a proxy; bench/proxy/GrpcBench.java: grpc-java, whose proxy
# support is HTTP CONNECT), every response checked for the injected credential (or its absence, direct). One
# interleaved run (repetition > case > target) after a warm-up. Loopback only; the upstreams answer as
# bench.authsome.test (a .test name: AUTHSOME_PROXY_RESOLVE inside the proxy, --connect-to for the direct runs).
# Not part of .ci/run. Results and method: docs/performance.md ("HTTP/2 and gRPC").
#
# Usage: bench/proxy-h2-bench.sh          (about 10 minutes with the defaults; prints and writes OUT/summary.md)
# Env:   DURATION=10 WARMUP=2 REPS=3 GLOBAL_WARMUP=20 CONC="1 8" STREAMS=10 KINDS="h2 grpc"
#        OUT=dir (default /tmp/authsome-h2-bench-DATE), BUILD=0 (use the existing dist/target/authsome),
#        PROFILE=1 (JFR profile of the proxy over the whole run; top frames in OUT/profile.txt),
#        AUTHSOME_JAVA_OPTS (extra JVM options for the proxy), H2_PORT=28543 GRPC_PORT=28544 AUTHSOME_PORT=28582
# Needs: nginx (Debian nginx-light, 1.22: `listen ... http2`), Node 20, a JDK 17 and Maven (builds the distribution
#        and resolves grpc-java, a test dependency of proxy/, for the gRPC client and server).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
here=$repo/bench/proxy
HOST=bench.authsome.test
H2_PORT=${H2_PORT:-28543}; GRPC_PORT=${GRPC_PORT:-28544}; AUTHSOME_PORT=${AUTHSOME_PORT:-28582}
TOKEN=perf-test-token
DURATION=${DURATION:-10}; WARMUP=${WARMUP:-2}; REPS=${REPS:-3}; GLOBAL_WARMUP=${GLOBAL_WARMUP:-20}
CONC=${CONC:-"1 8"}; STREAMS=${STREAMS:-10}; KINDS=${KINDS:-"h2 grpc"}
OUT=${OUT:-/tmp/authsome-h2-bench-$(date +%Y%m%d-%H%M%S)}
dist=$repo/dist/target/authsome

for tool in nginx node openssl curl java python3 mvn; do
  command -v $tool >/dev/null || { echo "error: $tool not found (apt-get install -y nginx-light nodejs)" >&2; exit 2; }
done
for port in "$H2_PORT" "$GRPC_PORT" "$AUTHSOME_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "error: 127.0.0.1:$port is in use" >&2; exit 2; fi
done
if [ "${BUILD:-1}" = 1 ]; then
  echo "== building (mvn -B -q -DskipTests package -pl dist -am)"
  (cd "$repo" && mvn -B -q -DskipTests package -pl dist -am)
fi
[ -x "$dist/bin/authsome" ] || { echo "error: no $dist/bin/authsome (build first)" >&2; exit 2; }

work=$(mktemp -d /tmp/authsome-h2-bench.XXXXXX)
mkdir -p "$OUT/raw"
PIDS_TO_STOP=()
cleanup() {
  for pid in "${PIDS_TO_STOP[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -s "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
wait_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "== upstream certificates (their own CA) for $HOST"
cd_=$work/certs; nd=$work/nginx; mkdir -p "$cd_" "$nd/logs" "$nd/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=authsome h2 bench upstream CA" \
  -keyout "$cd_/ca.key" -out "$cd_/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$cd_/upstream.key" -out "$cd_/upstream.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$HOST" >"$cd_/ext.cnf"
openssl x509 -req -in "$cd_/upstream.csr" -CA "$cd_/ca.pem" -CAkey "$cd_/ca.key" -CAcreateserial -days 2 \
  -extfile "$cd_/ext.cnf" -out "$cd_/upstream.pem" 2>/dev/null
# grpc-java's server wants a PKCS#8 key
openssl pkcs8 -topk8 -nocrypt -in "$cd_/upstream.key" -out "$cd_/upstream.pk8.pem"

echo "== nginx (HTTP/2 only over TLS) on 127.0.0.1:$H2_PORT"
# One worker, a tiny fixed body, X-Auth-Seen says whether the bench token arrived (as in bench/proxy-bench.sh).
# keepalive_requests also bounds requests per HTTP/2 connection in nginx 1.19.7+: raised so no run hits a GOAWAY.
cat >"$nd/nginx.conf" <<EOF
worker_processes 1;
pid $nd/nginx.pid;
error_log $nd/logs/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $nd/tmp/body; proxy_temp_path $nd/tmp/proxy; fastcgi_temp_path $nd/tmp/fcgi;
  uwsgi_temp_path $nd/tmp/uwsgi; scgi_temp_path $nd/tmp/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  map \$http_authorization \$auth_seen { "" none; "Bearer $TOKEN" injected; default other; }
  server {
    listen 127.0.0.1:$H2_PORT ssl http2;
    server_name $HOST;
    ssl_certificate     $cd_/upstream.pem;
    ssl_certificate_key $cd_/upstream.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      default_type text/plain;
      add_header X-Auth-Seen \$auth_seen always;
      return 200 "hello from upstream\n";
    }
  }
}
EOF
nginx -c "$nd/nginx.conf" -p "$nd"
wait_port "$H2_PORT" || { echo "error: nginx did not start" >&2; exit 1; }

echo "== grpc-java server on 127.0.0.1:$GRPC_PORT"
(cd "$repo" && mvn -B -q -o dependency:build-classpath -pl proxy -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/grpc.cp" >/dev/null) || { echo "error: cannot resolve proxy/'s test classpath (grpc-java)" >&2; exit 1; }
grpc_cp=$(cat "$work/grpc.cp")
mkdir -p "$work/grpc-classes"
javac -q -d "$work/grpc-classes" -cp "$grpc_cp" "$here/GrpcBench.java" 2>/dev/null || javac -d "$work/grpc-classes" -cp "$grpc_cp" "$here/GrpcBench.java"
grpc_java=(java -XX:+UseParallelGC -cp "$work/grpc-classes:$grpc_cp" GrpcBench)
"${grpc_java[@]}" server "$GRPC_PORT" "$cd_/upstream.pem" "$cd_/upstream.pk8.pem" "$TOKEN" >"$work/grpc-server.log" 2>&1 &
PIDS_TO_STOP+=($!)
wait_port "$GRPC_PORT" || { echo "error: the gRPC server did not start:" >&2; cat "$work/grpc-server.log" >&2; exit 1; }

echo "== authsome proxy on 127.0.0.1:$AUTHSOME_PORT"
export AUTHSOME_PROXY_RESOLVE="$HOST:$H2_PORT=127.0.0.1:$H2_PORT,$HOST:$GRPC_PORT=127.0.0.1:$GRPC_PORT"
export AUTHSOME_UPSTREAM_CA_FILE=$cd_/ca.pem
ad=$work/authsome; mkdir -p "$ad/home/providers"
cat >"$ad/home/providers/bench.yaml" <<EOF
schema_version: 1
name: bench
display_name: Proxy benchmark upstream
auth_type: api_key
flow: api_key
api_key:
  header_name: Authorization
  header_prefix: Bearer
api_url:
- $HOST
EOF
printf '%s\n' "$TOKEN" | AUTHSOME_HOME=$ad/home "$dist/bin/authsome" login bench --stdin >/dev/null
jfr=
[ "${PROFILE:-0}" = 1 ] && jfr="-XX:StartFlightRecording=filename=$OUT/authsome.jfr,settings=profile,dumponexit=true"
AUTHSOME_HOME=$ad/home AUTHSOME_JAVA_OPTS="${AUTHSOME_JAVA_OPTS:-} $jfr" \
  "$dist/bin/authsome" --json proxy --port "$AUTHSOME_PORT" >"$ad/proxy.json" 2>"$ad/proxy.log" &
authsome_pid=$!; PIDS_TO_STOP+=("$authsome_pid")
# the JSON may be seen half written: wait until it parses
# (from its first "{" line: with PROFILE=1 the JVM's own JFR start-up lines come first on stdout)
json_of() { python3 -c 'import json,sys; t=open(sys.argv[1]).read(); d=json.loads(t[t.index("\n{")+1 if not t.startswith("{") else 0:]); print(d["proxy_url"], d["ca_file"])' "$ad/proxy.json"; }
parses() { json_of >/dev/null 2>&1; }
for _ in $(seq 600); do parses && break; sleep 0.1; done
parses || { echo "error: the proxy did not start:" >&2; cat "$ad/proxy.log" >&2; exit 1; }
read -r proxy_url ca_file < <(json_of)
cp "$ca_file" "$ad/ca.pem"
proxy_spec=${proxy_url#http://}

echo "== preflight: curl --http2 directly and through the proxy"
for how in direct authsome; do
  if [ $how = direct ]; then a=(--connect-to "$HOST:$H2_PORT:127.0.0.1:$H2_PORT" --cacert "$cd_/ca.pem"); want=none
  else a=(--proxy "$proxy_url" --cacert "$ad/ca.pem"); want=injected; fi
  h=$(curl -sS --max-time 10 --noproxy '' --http2 "${a[@]}" -D - -o /dev/null "https://$HOST:$H2_PORT/" 2>&1 || true)
  grep -q '^HTTP/2 200' <<<"$h" || { echo "error: $how: no HTTP/2 200: $h" >&2; exit 1; }
  seen=$(sed -n 's/^x-auth-seen: \([a-z]*\).*/\1/Ip' <<<"$h" | tail -1)
  [ "$seen" = $want ] || { echo "error: $how: expected $want, upstream saw $seen" >&2; exit 1; }
  echo "   $how: HTTP/2 200, Authorization $want"
done

{
  echo "date: $(date -Is); host: $(nproc) CPUs, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "authsome: $("$dist/bin/authsome" --version 2>/dev/null | head -1), $(java -version 2>&1 | head -1), JVM options: launcher defaults${AUTHSOME_JAVA_OPTS:+ + $AUTHSOME_JAVA_OPTS}"
  echo "nginx: $(nginx -v 2>&1); node $(node --version); grpc-java: $(tr ':' '\n' <<<"$grpc_cp" | grep -o 'grpc-core-[0-9.]*' | head -1)"
  echo "run: $DURATION s measured + $WARMUP s warm-up per run, $REPS repetitions, connections: $CONC, $STREAMS streams (calls) in flight per connection, global warm-up $GLOBAL_WARMUP s per kind through the proxy"
} >"$OUT/meta.txt"
cat "$OUT/meta.txt"

client() { # kind target c duration warmup label -> one JSON line on stdout
  local kind=$1 target=$2 c=$3 d=$4 w=$5
  if [ "$kind" = h2 ]; then
    local a=(--url "https://$HOST:$H2_PORT/" -c "$c" -s "$STREAMS" -d "$d" --warmup "$w" --label "$target")
    if [ "$target" = direct ]; then a+=(--ca "$cd_/ca.pem" --connect-to 127.0.0.1 --expect-auth-seen none)
    else a+=(--proxy "$proxy_spec" --ca "$ad/ca.pem" --expect-auth-seen injected --cpu-pid "$authsome_pid" --rss-pid "$authsome_pid"); fi
    node "$here/h2load.mjs" "${a[@]}"
  else
    local a=(--target "$HOST:$GRPC_PORT" -c "$c" -s "$STREAMS" -d "$d" --warmup "$w" --label "$target")
    if [ "$target" = direct ]; then a+=(--ca "$cd_/ca.pem" --connect-to 127.0.0.1 --expect none)
    else a+=(--proxy "$proxy_spec" --ca "$ad/ca.pem" --expect injected --cpu-pid "$authsome_pid"); fi
    "${grpc_java[@]}" client "${a[@]}"
  fi
}

if [ "$GLOBAL_WARMUP" != 0 ]; then
  for kind in $KINDS; do
    r=$(client "$kind" authsome 8 "$GLOBAL_WARMUP" 0 2>&1 | tail -1 || true)
    echo "warm-up $kind through authsome: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("rps=%s errors=%s bad_auth=%s" % (d["rps"], d["errors"], d["bad_auth"]))' "$r" 2>/dev/null || echo "FAILED: $r")"
  done
fi

plan=()
for rep in $(seq 1 "$REPS"); do for kind in $KINDS; do for c in $CONC; do for t in direct authsome; do
  plan+=("$rep|$kind|$c|$t"); done; done; done; done
echo "== load (interleaved): ${#plan[@]} runs"
k=0
for p in "${plan[@]}"; do
  IFS='|' read -r rep kind c t <<<"$p"; k=$((k + 1))
  raw="$OUT/raw/r$rep-$kind-c$c-$t.txt"
  line=$(client "$kind" "$t" "$c" "$DURATION" "$WARMUP" 2>"$raw" | tee -a "$raw" | tail -1 || true)
  if [ "${line:0:1}" != "{" ]; then echo "[$k/${#plan[@]}] $p: FAILED (see $raw)"; continue; fi
  python3 - "$line" "$rep" "$kind" "$t" "$OUT/results.jsonl" "$k/${#plan[@]}" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); rep, kind, target, out, step = sys.argv[2:7]
d.update(rep=int(rep), kind=kind, target=target)
open(out, "a").write(json.dumps(d) + "\n")
print("[%s] %-4s c=%-2s %-8s rps=%-9s p50=%-7s p99=%-7s err=%s bad=%s/%s cpu/req=%sus" % (step, kind, d["c"], target,
      d["rps"], d["p50_ms"], d["p99_ms"], d["errors"], d["bad_status"], d["bad_auth"], d.get("proxy_cpu_us_per_req")), flush=True)
PY
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"

if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$authsome_pid" JFR.dump filename="$OUT/authsome.jfr" >/dev/null 2>&1 || true
  "$here/jfr-top.sh" "$OUT/authsome.jfr" >"$OUT/profile.txt" 2>&1 || true
fi
python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import collections, json, statistics, sys
out = sys.argv[1]
rows = [json.loads(l) for l in open(f"{out}/results.jsonl") if l.strip()]
g = collections.defaultdict(list)
for r in rows:
    g[(r["kind"], r["c"], r["target"])].append(r)
def med(k, key):
    xs = [r[key] for r in g.get(k, []) if r.get(key) is not None]
    return statistics.median(xs) if xs else None
f = lambda x, nd=0: "-" if x is None else f"{x:,.{nd}f}"
print("# HTTP/2 and gRPC through authsome (bench/proxy-h2-bench.sh)\n")
print("```\n" + open(f"{out}/meta.txt").read().strip() + "\n```\n")
print("Medians over repetitions. rps = requests (gRPC: unary calls) per second; latencies in ms; added p50 = authsome p50 - direct p50.\n")
print("| kind | connections x streams | target | rps | p50 | p99 | errors | bad auth | proxy CPU/req (us) | % of direct | added p50 |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for kind, c in sorted({(k[0], k[1]) for k in g}, key=lambda x: (x[0] != "h2", x[1])):
    d_rps, d_p50 = med((kind, c, "direct"), "rps"), med((kind, c, "direct"), "p50_ms")
    for t in ("direct", "authsome"):
        k = (kind, c, t)
        if k not in g:
            continue
        rps, p50 = med(k, "rps"), med(k, "p50_ms")
        s = g[k][0].get("streams")
        pct = f(100 * rps / d_rps, 0) + "%" if t != "direct" and rps and d_rps else ""
        added = f(p50 - d_p50, 3) if t != "direct" and p50 is not None and d_p50 is not None else ""
        print(f"| {kind} | {c} x {s} | {t} | {f(rps)} | {f(p50, 3)} | {f(med(k, 'p99_ms'), 3)} | {sum(r['errors'] for r in g[k])} "
              f"| {sum(r['bad_auth'] for r in g[k])} | {f(med(k, 'proxy_cpu_us_per_req'), 1)} | {pct} | {added} |")
print("\nTargets (issue 13): HTTP/2 through authsome >= 40% of direct requests/s; added p50 < 0.5 ms once warm.")
PY
echo "results: $OUT (summary.md, results.jsonl, raw/)"
