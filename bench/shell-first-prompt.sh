#!/usr/bin/env bash
# Time from starting `authsome` on a terminal (no arguments: the interactive shell) until its `authsome>` prompt is
# on the screen: median and p90 over N runs, on the bundled runtime and on Java 17 (the distribution without
# runtime/), beside the same measurement of `sh -c 'printf "authsome> "; sleep 5'` (the floor: tmux itself).
# The terminal is a real one (tmux); the screen is polled every 2 ms. Not part of the test suite.
#
# Usage: bench/shell-first-prompt.sh [runs=20]   (build first: mvn -B -DskipTests package; needs tmux)
set -euo pipefail
runs=${1:-20}
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=$repo/dist/target/authsome
[ -x "$dist/bin/authsome" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }
work=$(mktemp -d)
trap 'tmux -L authsome-bench kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
cp -a "$dist" "$work/java17"
rm -rf "$work/java17/runtime" "$work/java17/lib/authsome.aot" "$work/java17/lib/authsome-get.aot" "$work/java17/lib/authsome-full.aot" "$work/java17/lib/authsome-proxy.aot"
sh "$repo/dist/src/main/bin/make-cds-archive.sh" "$work/java17" >/dev/null 2>&1 || true
# one home per variant: two installations taking turns on one home rebuild its plugin index at each turn
mkdir -p "$work/home-bundled" "$work/home-java17" "$work/home-floor"

first_prompt() { # $1 = variant, $2 = command line; prints ms until "authsome>" shows
  local t0 t1
  tmux -L authsome-bench kill-server 2>/dev/null || true
  t0=$(date +%s%N)
  tmux -L authsome-bench new-session -d -x 120 -y 30 "AUTHSOME_HOME=$work/home-$1 TERM=xterm-256color $2"
  until tmux -L authsome-bench capture-pane -p 2>/dev/null | grep -q 'authsome>'; do
    sleep 0.002
    if (( ($(date +%s%N) - t0) > 20000000000 )); then echo "timeout" >&2; return 1; fi
  done
  t1=$(date +%s%N)
  tmux -L authsome-bench kill-server 2>/dev/null || true
  echo $(( (t1 - t0) / 1000000 ))
}
stats() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; p=a[int(NR*0.9+0.5)]; printf "%d ms (p90 %d)", m, p}'; }

declare -A samples
variants=(floor java17)
[ -x "$dist/runtime/bin/java" ] && variants=(floor bundled java17)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < runs; i++)); do
  samples[floor]+="$(first_prompt floor "sh -c 'printf \"authsome> \"; sleep 5'")"$'\n'
  [ -x "$dist/runtime/bin/java" ] && samples[bundled]+="$(first_prompt bundled "$dist/bin/authsome")"$'\n'
  samples[java17]+="$(first_prompt java17 "$work/java17/bin/authsome")"$'\n'
done
echo "shell first prompt: $runs interleaved runs, $(nproc) cores, load average $load_before before and $(cut -d' ' -f1-3 /proc/loadavg) after"
for v in "${variants[@]}"; do
  printf '%-8s %s\n' "$v" "$(printf '%s' "${samples[$v]}" | stats)"
done
