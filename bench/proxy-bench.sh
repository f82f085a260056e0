#!/usr/bin/env bash
# The proxy benchmark of issue 9: requests/s and p50/p99 latency directly against a local nginx, through authsome's
# credential proxy and through mitmproxy (with an addon doing the same injection), for plain http and https
# interception, keep-alive at 1, 8 and 64 connections and a new connection per request, in one interleaved run after
# a warm-up. Everything runs on loopback; the upstream is https://bench.authsome.test:28443 (and http on 28080), a
# .test name mapped to 127.0.0.1 inside each proxy (AUTHSOME_PROXY_RESOLVE, the addon's RESOLVE) and by the client
# (--connect-to), so /etc/hosts is left alone. Not part of .ci/run. Results and method: docs/performance.md.
#
# Usage: bench/proxy-bench.sh            (about 25 minutes with the defaults; prints and writes summary.md)
# Env:   DURATION=10 WARMUP=2 REPS=3 GLOBAL_WARMUP=20 CONC="1 8 64" NOKA_CONC="1 8"   (see bench/proxy/run-load.sh)
#        OUT=dir (default /tmp/authsome-proxy-bench-DATE), BUILD=0 (use the existing dist/target/authsome),
#        AUTHSOME_DIST=dir (benchmark another unpacked distribution instead of this checkout's; implies BUILD=0),
#        BASELINE_DIST=dir and/or BASELINE_JAVA_OPTS="..." (also run a second authsome proxy, from that distribution
#        or this one, with those JVM options instead of AUTHSOME_JAVA_OPTS, labelled BASELINE_LABEL (authsome-base),
#        in the same interleaved run: before/after comparisons of a change on a noisy machine),
#        SETUP_ONLY=1 (start everything, write OUT/env.sh for bench/proxy/run-load.sh by hand, wait until killed),
#        PROFILE=1 (record a JFR profile of the authsome proxy over the whole run; top frames in OUT/profile.txt),
#        AUTHSOME_JAVA_OPTS (extra JVM options for the proxy, as for the launcher), HTTP_PORT=28080 HTTPS_PORT=28443
#        MITM_PORT=28081 AUTHSOME_PORT=28082, CLIENT_CPUS (pin the load client with taskset)
# Needs: apt-get install -y nginx-light mitmproxy; Node 20; a JDK 17 and Maven (it builds the distribution).
# Helpers in bench/proxy/ are adapted from the shared harness tools/bench-proxy (see each file's header).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
here=$repo/bench/proxy
HOST=bench.authsome.test
HTTP_PORT=${HTTP_PORT:-28080}; HTTPS_PORT=${HTTPS_PORT:-28443}
MITM_PORT=${MITM_PORT:-28081}; AUTHSOME_PORT=${AUTHSOME_PORT:-28082}; BASE_PORT=${BASE_PORT:-28083}
TOKEN=perf-test-token
OUT=${OUT:-/tmp/authsome-proxy-bench-$(date +%Y%m%d-%H%M%S)}
dist=${AUTHSOME_DIST:-$repo/dist/target/authsome}

for tool in nginx mitmdump node openssl curl java python3; do
  command -v $tool >/dev/null || { echo "error: $tool not found (apt-get install -y nginx-light mitmproxy nodejs)" >&2; exit 2; }
done
for port in "$HTTP_PORT" "$HTTPS_PORT" "$MITM_PORT" "$AUTHSOME_PORT" "$BASE_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "error: 127.0.0.1:$port is in use" >&2; exit 2; fi
done
if [ "${BUILD:-$([ -n "${AUTHSOME_DIST:-}" ] && echo 0 || echo 1)}" = 1 ]; then
  echo "== building (mvn -B -q -DskipTests package)"
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
[ -x "$dist/bin/authsome" ] || { echo "error: no $dist/bin/authsome (build first)" >&2; exit 2; }

work=$(mktemp -d /tmp/authsome-proxy-bench.XXXXXX)
mkdir -p "$OUT"
PIDS_TO_STOP=()
cleanup() {
  for pid in "${PIDS_TO_STOP[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -s "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

echo "== upstream: nginx on 127.0.0.1:$HTTP_PORT (http) and :$HTTPS_PORT (https, its own test CA)"
cd_=$work/certs; nd=$work/nginx; mkdir -p "$cd_" "$nd/logs" "$nd/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=authsome proxy bench upstream CA" \
  -keyout "$cd_/ca.key" -out "$cd_/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$HOST" -keyout "$cd_/upstream.key" -out "$cd_/upstream.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$HOST" >"$cd_/ext.cnf"
openssl x509 -req -in "$cd_/upstream.csr" -CA "$cd_/ca.pem" -CAkey "$cd_/ca.key" -CAcreateserial -days 2 \
  -extfile "$cd_/ext.cnf" -out "$cd_/upstream.pem" 2>/dev/null
# The shared harness's upstream: one worker, a tiny fixed body; it says whether it got the bench token in X-Auth-Seen
# (injected / none / other) rather than echoing the header, which authsome's echo scrubbing would rewrite.
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
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  map \$http_authorization \$auth_seen { "" none; "Bearer $TOKEN" injected; default other; }
  server {
    listen 127.0.0.1:$HTTP_PORT;
    listen 127.0.0.1:$HTTPS_PORT ssl;
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
wait_port "$HTTPS_PORT" || { echo "error: nginx did not start" >&2; exit 1; }
resolve="$HOST:$HTTP_PORT=127.0.0.1:$HTTP_PORT,$HOST:$HTTPS_PORT=127.0.0.1:$HTTPS_PORT"

echo "== baseline: mitmproxy on 127.0.0.1:$MITM_PORT"
WORKDIR=$work MITM_PORT=$MITM_PORT UPSTREAM_CA=$cd_/ca.pem INJECT_HOSTS=$HOST INJECT_TOKEN=$TOKEN RESOLVE=$resolve \
  "$here/start-mitm.sh"
mitm_pid=$(cat "$work/mitmdump.pid"); PIDS_TO_STOP+=("$mitm_pid")

export AUTHSOME_PROXY_RESOLVE=$resolve AUTHSOME_UPSTREAM_CA_FILE=$cd_/ca.pem
jfr=()
if [ "${PROFILE:-0}" = 1 ]; then
  jfr=("-XX:StartFlightRecording=filename=$OUT/authsome.jfr,settings=profile,dumponexit=true")
fi
start_authsome() { # label dist port jfr(0|1) java-opts -> sets started_pid, started_url; files in $work/$label
  local label=$1 d=$2 port=$3 dir=$work/$1 opts=$5 j=()
  [ "$4" = 1 ] && j=("${jfr[@]}")
  mkdir -p "$dir/home/providers"
  cat >"$dir/home/providers/bench.yaml" <<EOF
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
  printf '%s\n' "$TOKEN" | AUTHSOME_HOME=$dir/home "$d/bin/authsome" login bench --stdin >/dev/null
  # (a CLI without the command answers `proxy --help` with its root usage, status 0)
  if "$d/bin/authsome" proxy --help 2>&1 | grep -q '^Usage: authsome proxy'; then
    AUTHSOME_HOME=$dir/home AUTHSOME_JAVA_OPTS="$opts ${j[*]}" \
      "$d/bin/authsome" --json proxy --port "$port" >"$dir/proxy.json" 2>"$dir/proxy.log" &
    started_how="authsome proxy"
  else
    # a checkout before `authsome proxy` landed: the engine through a bench-only main (bench/proxy/BenchProxy.java)
    [ "$d" = "$repo/dist/target/authsome" ] || { echo "error: $d has no 'authsome proxy' command" >&2; exit 2; }
    (cd "$repo" && mvn -B -q -o dependency:build-classpath -pl proxy -Dmdep.outputFile="$dir/proxy.cp" >/dev/null 2>&1)
    mkdir -p "$dir/engine"
    local cp
    cp="$d/lib/*:$(ls "$repo"/proxy/target/authsome-proxy-*.jar | grep -v -e sources -e tests | head -1):$(cat "$dir/proxy.cp")"
    # the launcher's options for `run` and `proxy` (bin/authsome), minus the class-data archive
    # shellcheck disable=SC2086
    AUTHSOME_HOME=$dir/home java -XX:+UseSerialGC -Xss1m -XX:-UsePerfData $opts "${j[@]}" \
      -Dauthsome.app.home="$d" -cp "$cp" "$here/BenchProxy.java" "$port" "$dir/engine" >"$dir/proxy.json" 2>"$dir/proxy.log" &
    started_how="bench/proxy/BenchProxy.java (no 'authsome proxy' command in this checkout)"
  fi
  started_pid=$!; PIDS_TO_STOP+=("$started_pid")
  for _ in $(seq 600); do grep -q proxy_url "$dir/proxy.json" 2>/dev/null && break; sleep 0.1; done
  grep -q proxy_url "$dir/proxy.json" || { echo "error: the $label proxy did not start:" >&2; cat "$dir/proxy.log" >&2; exit 1; }
  local ca_file
  read -r started_url ca_file < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["proxy_url"], d["ca_file"])' "$dir/proxy.json")
  cp "$ca_file" "$dir/ca.pem"   # the run's CA; `authsome proxy` deletes its copy when it stops
  echo "   $label: $started_how from $d, pid $started_pid, 127.0.0.1:$port"
}
echo "== authsome proxy on 127.0.0.1:$AUTHSOME_PORT"
start_authsome authsome "$dist" "$AUTHSOME_PORT" 1 "${AUTHSOME_JAVA_OPTS:-}"
authsome_pid=$started_pid proxy_url=$started_url proxy_how=$started_how
specs=("mitmproxy=127.0.0.1:$MITM_PORT,$work/mitm-conf/mitmproxy-ca-cert.pem,$mitm_pid"
  "authsome=${proxy_url#http://},$work/authsome/ca.pem,$authsome_pid")
base_label=
if [ -n "${BASELINE_DIST:-}${BASELINE_JAVA_OPTS:-}" ]; then
  base_label=${BASELINE_LABEL:-authsome-base}
  [[ $base_label =~ ^authsome-[a-z0-9-]+$ ]] || { echo "error: BASELINE_LABEL must look like authsome-NAME" >&2; exit 2; }
  start_authsome "$base_label" "${BASELINE_DIST:-$dist}" "$BASE_PORT" 0 "${BASELINE_JAVA_OPTS:-}"
  specs+=("$base_label=${started_url#http://},$work/$base_label/ca.pem,$started_pid")
  base_url=$started_url
fi

echo "== preflight (curl): each proxy forwards, and injects over https only where authsome would"
check() { # name proxy ca url expect(inject|none)
  local h
  h=$(curl -sS --max-time 10 --noproxy '' --proxy "$2" ${3:+--cacert "$3"} -D - -o /dev/null "$4" 2>&1 || true)
  if [ "$(grep '^HTTP/' <<<"$h" | tail -1 | awk '{print $2}')" != 200 ]; then echo "error: $1 $4: $h" >&2; exit 1; fi
  seen=$(sed -n 's/^X-Auth-Seen: \([a-z]*\).*/\1/Ip' <<<"$h" | tail -1)
  [ "$seen" = "$5" ] || { echo "error: $1 $4: expected $5, upstream saw $seen" >&2; exit 1; }
  echo "   $1 $4: 200, Authorization $5"
}
check mitmproxy "http://127.0.0.1:$MITM_PORT" "$work/mitm-conf/mitmproxy-ca-cert.pem" "https://$HOST:$HTTPS_PORT/" injected
check mitmproxy "http://127.0.0.1:$MITM_PORT" "" "http://$HOST:$HTTP_PORT/" injected
check authsome "$proxy_url" "$work/authsome/ca.pem" "https://$HOST:$HTTPS_PORT/" injected
check authsome "$proxy_url" "" "http://$HOST:$HTTP_PORT/" none   # secrets only ever travel over https
if [ -n "$base_label" ]; then
  check "$base_label" "$base_url" "$work/$base_label/ca.pem" "https://$HOST:$HTTPS_PORT/" injected
  check "$base_label" "$base_url" "" "http://$HOST:$HTTP_PORT/" none
fi

{
  echo "date: $(date -Is); host: $(nproc) CPUs, $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "authsome: $proxy_how from $dist, $("$dist/bin/authsome" --version 2>/dev/null | head -1), $(java -version 2>&1 | head -1)"
  echo "authsome JVM options: launcher defaults${AUTHSOME_JAVA_OPTS:+ + $AUTHSOME_JAVA_OPTS}"
  [ -z "$base_label" ] || echo "$base_label: from ${BASELINE_DIST:-$dist}, launcher defaults${BASELINE_JAVA_OPTS:+ + $BASELINE_JAVA_OPTS}"
  echo "mitmproxy: $(mitmdump --version 2>/dev/null | head -1); nginx: $(nginx -v 2>&1); node $(node --version)"
  echo "run: ${DURATION:-10} s measured + ${WARMUP:-2} s warm-up per run, ${REPS:-3} repetitions, global warm-up ${GLOBAL_WARMUP:-20} s per proxy and scheme"
} >"$OUT/meta.txt"
cat "$OUT/meta.txt"

if [ "${SETUP_ONLY:-0}" = 1 ]; then
  { echo "# written by bench/proxy-bench.sh SETUP_ONLY=1: the running setup, for run-load.sh or profiling by hand"
    echo "export UPSTREAM_HTTP=$HOST:$HTTP_PORT UPSTREAM_HTTPS=$HOST:$HTTPS_PORT UPSTREAM_CA=$cd_/ca.pem CONNECT_TO=127.0.0.1"
    echo "export NOINJECT_HTTP=\"authsome $base_label\" MITM_PID=$mitm_pid AUTHSOME_PID=$authsome_pid"
    echo "export SPECS='${specs[*]}'"; } >"$OUT/env.sh"
  echo "SETUP_ONLY: everything runs; source $OUT/env.sh; stop with kill $$"
  while :; do sleep 3600 & wait $!; done
fi

echo "== load (interleaved)"
OUT=$OUT UPSTREAM_HTTP=$HOST:$HTTP_PORT UPSTREAM_HTTPS=$HOST:$HTTPS_PORT UPSTREAM_CA=$cd_/ca.pem \
  CONNECT_TO=127.0.0.1 NOINJECT_HTTP="authsome $base_label" \
  "$here/run-load.sh" "${specs[@]}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"

if [ "${PROFILE:-0}" = 1 ]; then
  jcmd "$authsome_pid" JFR.dump filename="$OUT/authsome.jfr" >/dev/null 2>&1 || true
  "$here/jfr-top.sh" "$OUT/authsome.jfr" >"$OUT/profile.txt" 2>&1 || true
fi
python3 "$here/summarize.py" "$OUT" | tee "$OUT/summary.md"
echo "results: $OUT (summary.md, results.jsonl, raw/)"
