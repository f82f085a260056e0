#!/usr/bin/env bash
# Time for a command to open the plugin host and list every provider, with 3 and with 250 provider jars:
#   cold     - fresh home, no index anywhere (every jar opened with java.util.zip)
#   prebuilt - fresh home, the bundled folder ships its index.json (what a new install sees)
#   warm     - the home's cache/plugin-index.json is up to date (every later command)
# Each figure is the median of RUNS fresh JVMs, measured inside the JVM around PluginHost.open + list, as wall time
# and as the main thread's CPU time (the steadier figure on a busy machine). The load average is printed too.
# Usage: bench/catalogue-bench.sh [RUNS]   (needs a built tree: mvn -o -q -pl plugins/host -am test-compile)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mvn -B -q -o -pl plugins/host -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="plugins/host/target/test-classes:plugins/host/target/classes:core/target/classes:$(cat "$work/cp.txt")"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 3 250; do
  dir="$work/n$n"
  java -cp "$cp" dev.authsome.plugins.CatalogueBench setup "$dir" "$n"
  for mode in cold prebuilt warm; do
    times=()
    cpus=()
    for _ in $(seq "$RUNS"); do
      line=$(java -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$cp" dev.authsome.plugins.CatalogueBench "$mode" "$dir")
      times+=("$(sed -E 's/.* ms=([0-9.]+).*/\1/' <<<"$line")")
      cpus+=("$(sed -E 's/.* cpu_ms=([0-9.]+).*/\1/' <<<"$line")")
      last=$line
    done
    printf '%-4s jars  %-8s median wall %7.1f ms  cpu %7.1f ms   (last: %s)\n' "$n" "$mode" \
      "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "$last"
  done
done
