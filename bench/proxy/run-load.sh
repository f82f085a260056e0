#!/usr/bin/env bash
# run-load.sh - the same bounded loopback load, directly against the upstream and through each proxy, interleaved
# (repetition > keep-alive/new-connection > concurrency > target), one JSON line per run in $OUT/results.jsonl.
# bench/proxy-bench.sh sets everything up and calls this; it can also be run by hand against proxies already running.
#
# Adapted from the shared benchmark harness (tools/bench-proxy/bench-proxy.sh): the node client only (it verifies
# TLS against the CA given and checks the injected header on every response; wrk cannot CONNECT, hey rounds latency
# to 0.1 ms and skips TLS verification), proxy credentials in the spec, an upstream name that need not resolve
# (CONNECT_TO), proxies that must NOT inject over plain http (NOINJECT_HTTP), peak proxy RSS per run, and a
# warm-up of every proxy before the first measured run.
#
# USAGE  run-load.sh SPEC [SPEC ...]
#   SPEC = NAME=[USER:PASS@]HOST:PORT,CA_PEM[,PID]    CA_PEM: what the client trusts for the proxy's certificates;
#                                                      PID: the proxy process (CPU per request, peak RSS)
# ENV    OUT (results folder, required), DURATION (10 s measured per run), WARMUP (2 s unmeasured per run),
#        REPS (3), CONC ("1 8 64" keep-alive connections), NOKA_CONC ("1 8", new connection per request; "" = none),
#        GLOBAL_WARMUP (20 s per proxy and scheme before the plan), UPSTREAM_HTTP / UPSTREAM_HTTPS (host:port),
#        UPSTREAM_CA (PEM of the upstream's CA, for the direct runs), CONNECT_TO (address the direct runs dial
#        instead of resolving the upstream name), NOINJECT_HTTP (names of proxies that must not inject over http),
#        CLIENT_CPUS (taskset list). The upstream answers X-Auth-Seen: injected (it got the bench token), none or
#        other; a response other than expected (injected through a proxy, none directly and where NOINJECT_HTTP
#        applies) counts as bad_auth.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?OUT: results folder}" "${UPSTREAM_HTTP:?}" "${UPSTREAM_HTTPS:?}" "${UPSTREAM_CA:?}"
DURATION=${DURATION:-10}; WARMUP=${WARMUP:-2}; REPS=${REPS:-3}; GLOBAL_WARMUP=${GLOBAL_WARMUP:-20}
CONC=${CONC-"1 8 64"}; NOKA_CONC=${NOKA_CONC-"1 8"}
CONNECT_TO=${CONNECT_TO:-}; NOINJECT_HTTP=${NOINJECT_HTTP:-}; CLIENT_CPUS=${CLIENT_CPUS:-}
NAMES=(); ADDRS=(); CAS=(); PIDS=()
for spec in "$@"; do
  name=${spec%%=*}; rest=${spec#*=}
  IFS=, read -r addr ca pid <<<"$rest"
  [[ ${addr##*@} =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ ]] || { echo "error: proxy $name is not on loopback" >&2; exit 2; }
  [ -r "$ca" ] || { echo "error: CA file $ca not readable" >&2; exit 2; }
  NAMES+=("$name"); ADDRS+=("$addr"); CAS+=("$ca"); PIDS+=("${pid:-}")
done
[ ${#NAMES[@]} -ge 1 ] || { echo "usage: run-load.sh NAME=[USER:PASS@]HOST:PORT,CA[,PID] ..." >&2; exit 2; }
PIN=(); [ -n "$CLIENT_CPUS" ] && PIN=(taskset -c "$CLIENT_CPUS")
mkdir -p "$OUT/raw"; : >>"$OUT/results.jsonl"

TARGETS=("direct|http|-1" "direct|https|-1")
for i in "${!NAMES[@]}"; do TARGETS+=("${NAMES[$i]}|http|$i" "${NAMES[$i]}|https|$i"); done
PLAN=()
for rep in $(seq 1 "$REPS"); do
  for mode in ka noka; do
    if [ $mode = ka ]; then cl=$CONC; else cl=$NOKA_CONC; fi
    for c in $cl; do for t in "${TARGETS[@]}"; do PLAN+=("$rep|$mode|$c|$t"); done; done
  done
done
echo "plan: ${#PLAN[@]} runs x (${WARMUP}s warm-up + ${DURATION}s) + ${GLOBAL_WARMUP}s global warm-up per proxy and scheme"

client_args() { # mode c label scheme pidx duration warmup
  local url args
  if [ "$4" = http ]; then url="http://$UPSTREAM_HTTP/"; else url="https://$UPSTREAM_HTTPS/"; fi
  args=(--url "$url" -c "$2" -d "$6" --warmup "$7" --label "$3")
  [ "$1" = noka ] && args+=(--no-keepalive)
  if [ "$5" = -1 ]; then
    [ "$4" = https ] && args+=(--ca "$UPSTREAM_CA")
    [ -n "$CONNECT_TO" ] && args+=(--connect-to "$CONNECT_TO")
    args+=(--expect-auth-seen none)
  else
    args+=(--proxy "${ADDRS[$5]}")
    if [ "$4" = http ] && [[ " $NOINJECT_HTTP " == *" ${NAMES[$5]} "* ]]; then args+=(--expect-auth-seen none)
    else args+=(--expect-auth-seen injected); fi
    [ "$4" = https ] && args+=(--ca "${CAS[$5]}")
    [ -n "${PIDS[$5]}" ] && args+=(--cpu-pid "${PIDS[$5]}" --rss-pid "${PIDS[$5]}")
  fi
  printf '%s\n' "${args[@]}"
}
redact() { sed -E 's#(--proxy )[^ @]*@#\1***@#'; }

if [ "$GLOBAL_WARMUP" != 0 ]; then
  for i in "${!NAMES[@]}"; do for scheme in https http; do
    mapfile -t a < <(client_args ka 8 "${NAMES[$i]}" "$scheme" "$i" "$GLOBAL_WARMUP" 0)
    r=$("${PIN[@]}" node "$here/proxyload.mjs" "${a[@]}" || true)
    echo "warm-up ${NAMES[$i]} $scheme: $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("rps=%s errors=%s bad_auth=%s" % (d["rps"], d["errors"], d["bad_auth"]))' "$r" 2>/dev/null || echo FAILED)"
  done; done
fi

k=0
for p in "${PLAN[@]}"; do
  IFS='|' read -r rep mode c label scheme pidx <<<"$p"
  k=$((k + 1))
  raw="$OUT/raw/r$rep-$mode-c$c-$label-$scheme.txt"
  mapfile -t a < <(client_args "$mode" "$c" "$label" "$scheme" "$pidx" "$DURATION" "$WARMUP")
  echo "+ node proxyload.mjs ${a[*]}" | redact >"$raw"
  line=$("${PIN[@]}" node "$here/proxyload.mjs" "${a[@]}" 2>>"$raw" | tee -a "$raw" | tail -1 || true)
  if [ "${line:0:1}" != "{" ]; then echo "[$k/${#PLAN[@]}] $p: FAILED (see $raw)"; continue; fi
  python3 - "$line" "$rep" "$mode" "$label" "$scheme" "$OUT/results.jsonl" "$k/${#PLAN[@]}" <<'PY'
import json, sys
d = json.loads(sys.argv[1]); rep, mode, label, scheme, out, step = sys.argv[2:8]
d.update(rep=int(rep), mode=mode, target=label, scheme=scheme)
d.pop("proxy", None)  # carries the proxy credential
open(out, "a").write(json.dumps(d) + "\n")
print("[%s] %-4s c=%-3s %-9s %-5s rps=%-9s p50=%-7s p99=%-7s err=%s bad=%s/%s cpu/req=%sus rss=%sMB busy=%s" % (
    step, mode, d["c"], label, scheme, d["rps"], d["p50_ms"], d["p99_ms"], d["errors"], d["bad_status"],
    d["bad_auth"], d["proxy_cpu_us_per_req"], d.get("proxy_rss_mb"), d["host_cpu_busy"]), flush=True)
PY
done
