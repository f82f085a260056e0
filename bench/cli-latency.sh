#!/usr/bin/env bash
# Process-level latency of short authsome commands: median (and p90) wall time over N runs of
#   authsome get openai --field status      (a connected API-key provider)
#   authsome list
# for the full bundled catalogue and for a copy of the distribution holding only three provider plugins, interleaved
# in one run so the two can be compared on this machine. Not part of the test suite (timing belongs here, not in
# assertions).
#
# Usage: bench/cli-latency.sh [runs=20]     (build first: mvn -B -DskipTests package)
set -euo pipefail
runs=${1:-20}
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=$repo/dist/target/authsome
[ -x "$dist/bin/authsome" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A copy of the distribution with only three provider plugins (plus every flow plugin).
small=$work/authsome-small
cp -a "$dist" "$small"
find "$small/plugins" -name 'provider-*.jar' ! -name 'provider-openai-*' ! -name 'provider-anthropic-*' \
  ! -name 'provider-resend-*' -delete
rm -f "$small/plugins/index.json"
# The class-data sharing archive records the class path it was dumped with; in the copy it no longer matches and the
# JVM would silently run without it, making the small install look slower than the full one. Dump it again there.
sh "$repo/dist/src/main/bin/make-cds-archive.sh" "$small"

setup_home() { # $1 = dist, $2 = home
  mkdir -p "$2"
  printf '%s\n' 'sk-bench0000000000000000000000000000000000000000' \
    | AUTHSOME_HOME=$2 "$1/bin/authsome" login openai --stdin >/dev/null
  AUTHSOME_HOME=$2 "$1/bin/authsome" list >/dev/null   # warm the plugin index
}
setup_home "$dist" "$work/home-full"
setup_home "$small" "$work/home-small"

now_ns() { date +%s%N; }
measure() { # $1 = dist, $2 = home, rest = args; prints elapsed ms
  local d=$1 h=$2; shift 2
  local t0 t1
  t0=$(now_ns)
  AUTHSOME_HOME=$h "$d/bin/authsome" "$@" >/dev/null
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}
stats() { # stdin: one number per line -> "median p90"
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; p=a[int(NR*0.9+0.5)]; printf "%d ms (p90 %d ms)", m, p}'
}

providers_full=$(find "$dist/plugins" -name 'provider-*.jar' | wc -l)
declare -A samples
for _ in 1 2 3; do measure "$dist" "$work/home-full" list >/dev/null; done   # warm-up: page cache
for ((i = 0; i < runs; i++)); do
  samples[full_get]+="$(measure "$dist" "$work/home-full" get openai --field status)"$'\n'
  samples[small_get]+="$(measure "$small" "$work/home-small" get openai --field status)"$'\n'
  samples[full_list]+="$(measure "$dist" "$work/home-full" list)"$'\n'
  samples[small_list]+="$(measure "$small" "$work/home-small" list)"$'\n'
done

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/java}; java_bin=${java_bin:-java}
echo "authsome CLI latency, $runs runs each, $(nproc) cores, $("$java_bin" -version 2>&1 | head -n 1)"
printf '%-46s %s\n' "get openai --field status ($providers_full providers)" "$(printf '%s' "${samples[full_get]}" | stats)"
printf '%-46s %s\n' "get openai --field status (3 providers)" "$(printf '%s' "${samples[small_get]}" | stats)"
printf '%-46s %s\n' "list ($providers_full providers)" "$(printf '%s' "${samples[full_list]}" | stats)"
printf '%-46s %s\n' "list (3 providers)" "$(printf '%s' "${samples[small_list]}" | stats)"
