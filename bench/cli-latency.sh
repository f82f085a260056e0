#!/usr/bin/env bash
# Process-level latency of short authsome commands: median and p90 wall time over N interleaved runs of
#   --version | get openai --field status | get openai --field api_key --show-secret
#   | get testidp --field access_token --show-secret (a fresh OAuth access token from a real authorization server)
#   | export openai --format env | list | list --json | whoami | login (one more API-key connection)
# with 10 and with 10,000 connections in a file vault, on each launch variant:
#   bundled  the distribution as built (runtime/ + AOT cache, when the build had a JDK 25+)
#   java17   the same distribution without runtime/ (Java 17+ from JAVA_HOME/PATH with the class-data archive)
#   installed  the same on Java 17, as a user's copy runs it: the build's archive serves only the build tree (it
#            records absolute jar paths), so the launcher writes one into the user's cache on the first short
#            command (here a `get`, before timing) and maps it from then on
#   before   BENCH_BEFORE=/path/to/an/older/dist (optional), on Java 17, for before/after comparisons
# plus a Java "hello" on each JVM (same options) as the floor; every result is also given as a ratio to its floor.
# Not part of the test suite (timing belongs here, not in assertions). The machine's load average is printed with
# the results: compare only runs made under the same conditions.
#
# Usage: bench/cli-latency.sh [runs=20] [connections=10000]   (build first: mvn -B -DskipTests package)
#   BENCH_JAVA17=/path/to/jdk17 (default: JAVA_HOME, else java on PATH)
set -euo pipefail
runs=${1:-20}
big=${2:-10000}
repo=$(cd "$(dirname "$0")/.." && pwd)
dist=$repo/dist/target/authsome
[ -x "$dist/bin/authsome" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
java17=${BENCH_JAVA17:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Variants: label -> distribution folder, and the java that runs it.
declare -A variant_dist variant_java
variants=()
if [ -x "$dist/runtime/bin/java" ]; then
  variants+=(bundled); variant_dist[bundled]=$dist; variant_java[bundled]=$dist/runtime/bin/java
fi
cp -a "$dist" "$work/java17"
rm -rf "$work/java17/runtime" "$work/java17/lib/authsome.aot" "$work/java17/lib/authsome-get.aot" "$work/java17/lib/authsome-full.aot" "$work/java17/lib/authsome-proxy.aot"
# the class-data archive records the class path it was dumped with: dump it again for the copy
JAVA_HOME=$java17 sh "$repo/dist/src/main/bin/make-cds-archive.sh" "$work/java17"
variants+=(java17); variant_dist[java17]=$work/java17; variant_java[java17]=$java17/bin/java
cp -a "$dist" "$work/installed"
rm -rf "$work/installed/runtime" "$work/installed"/lib/*.aot "$work/installed"/lib/*.jsa "$work/installed"/lib/*.jsa.jvm
variants+=(installed); variant_dist[installed]=$work/installed; variant_java[installed]=$java17/bin/java
export XDG_CACHE_HOME=$work/user-cache
if [ -n "${BENCH_BEFORE:-}" ]; then
  cp -a "$BENCH_BEFORE" "$work/before"
  rm -rf "$work/before/runtime" "$work/before/lib/authsome.aot" "$work/before/lib/authsome-get.aot" "$work/before/lib/authsome-full.aot" "$work/before/lib/authsome-proxy.aot"
  JAVA_HOME=$java17 sh "$repo/dist/src/main/bin/make-cds-archive.sh" "$work/before"
  variants+=(before); variant_dist[before]=$work/before; variant_java[before]=$java17/bin/java
fi

key=sk-bench0000000000000000000000000000000000000000
# A home with N connections: the default openai connection plus N-1 named ones, all logged in through the engine
# in one JVM (dev.authsome.shell.Batch), not N processes.
fill() { # $1 = home, $2 = connections
  mkdir -p "$1"
  local args=(login openai --stdin) i
  for ((i = 1; i < $2; i++)); do args+=(";;" login openai --connection "c$i" --stdin); done
  AUTHSOME_HOME=$1 AUTHSOME_BATCH_INPUT=$key AUTHSOME_BATCH_SHARED_PLUGINS=1 JAVA_HOME=$java17 \
    "$java17/bin/java" -XX:+UseSerialGC -Dauthsome.app.home="$dist" -cp "$dist/lib/*" dev.authsome.shell.Batch \
    "${args[@]}"
}
t0=$(date +%s)
fill "$work/home-10" 10
fill "$work/home-big" "$big"
echo "filled a $big-connection vault in $(( $(date +%s) - t0 )) s ($(du -h "$work/home-big/vault/records.json" | cut -f1))"

# A fresh OAuth access token, as the issue asks: a real authorization server (testing/oidc-server, panva's
# oidc-provider, which `.ci/run` installs; `npm ci` there otherwise) issues one to a custom provider through the
# client-credentials grant (client secret on standard input), in a copy of each home. Its lifetime is a day, so every
# timed `get` reads and decrypts it without a refresh; the server's counters prove that afterwards. Left out, with a
# line saying why, where node or the server's packages are missing.
oauth_command="get testidp --field access_token --show-secret"
oidc_dir=$repo/testing/oidc-server
issuer=
if command -v node >/dev/null 2>&1 && command -v curl >/dev/null 2>&1 && [ -d "$oidc_dir/node_modules" ]; then
  node "$oidc_dir/server.js" --port 0 --access-token-ttl 86400 >"$work/oidc.out" 2>"$work/oidc.err" &
  oidc_pid=$!
  trap 'kill "$oidc_pid" 2>/dev/null; rm -rf "$work"' EXIT
  for ((i = 0; i < 100; i++)); do
    grep -q '^listening ' "$work/oidc.out" 2>/dev/null && break
    sleep 0.1
  done
  issuer=$(sed -n 's/^listening //p' "$work/oidc.out")
  [ -n "$issuer" ] || { echo "the OAuth server did not start: $(cat "$work/oidc.err")" >&2; exit 1; }
  for n in 10 big; do
    cp -a "$work/home-$n" "$work/home-oauth-$n"
    mkdir -p "$work/home-oauth-$n/providers"
    printf '%s\n' "schema_version: 1" "name: testidp" "display_name: Test IdP" "docs_url: https://example.test/docs" \
      "auth_type: oauth2" "flow: client_credentials" "oauth:" "  authorization_url: $issuer/auth" \
      "  token_url: $issuer/token" "  revocation_url: $issuer/token/revocation" "  issuer: $issuer" \
      "  scopes: [api:read]" >"$work/home-oauth-$n/providers/testidp.yaml"
    printf '%s\n' basic-secret-0123456789 | AUTHSOME_HOME=$work/home-oauth-$n "$dist/bin/authsome" login testidp \
      --flow client_credentials --client-id confidential-basic --stdin --scopes api:read >/dev/null \
      2>"$work/oauth-login.err" \
      || { echo "the OAuth login for the benchmark failed: $(cat "$work/oauth-login.err")" >&2; exit 1; }
  done
  curl -fsS -X POST "$issuer/test/counters/reset" >/dev/null
else
  echo "skipped: \`$oauth_command\` (needs node, curl and \`npm ci\` in testing/oidc-server)"
  oauth_command=
fi

# Each variant reads its own copy of the homes: two installations that take turns on one home rebuild the home's
# plugin index at each turn (it records the plugin jars of the installation that wrote it), which no user pays.
for v in "${variants[@]}"; do
  cp -a "$work/home-10" "$work/home-10-$v"
  cp -a "$work/home-big" "$work/home-big-$v"
  if [ -n "$oauth_command" ]; then
    cp -a "$work/home-oauth-10" "$work/home-oauth-10-$v"
    cp -a "$work/home-oauth-big" "$work/home-oauth-big-$v"
  fi
done

cat > "$work/Hello.java" <<'EOF'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
EOF
"$java17/bin/javac" --release 17 -d "$work/hello" "$work/Hello.java"

now_ns() { date +%s%N; }
logins=0
measure() { # $1 = variant, $2 = home, rest = args; prints elapsed ms
  local v=$1 h=$2; shift 2
  local t0 t1
  if [ "$1" = login ]; then
    logins=$((logins + 1))
    set -- login openai --connection "bench$logins" --stdin
  fi
  t0=$(now_ns)
  printf '%s\n' "$key" | AUTHSOME_HOME=$h "${variant_dist[$v]}/bin/authsome" "$@" >/dev/null 2>&1
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}
hello() { # $1 = variant
  local t0 t1
  t0=$(now_ns)
  "${variant_java[$1]}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -cp "$work/hello" Hello \
    >/dev/null
  t1=$(now_ns)
  echo $(( (t1 - t0) / 1000000 ))
}
stats() { # stdin: one number per line -> "median p90"
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; p=a[int(NR*0.9+0.5)]; printf "%d %d", m, p}'
}

commands=("--version" "get openai --field status" "get openai --field api_key --show-secret" \
  "export openai --format env" "list" "list --json" "whoami" "login")
if [ -n "$oauth_command" ]; then
  commands=("${commands[@]:0:3}" "$oauth_command" "${commands[@]:3}")
fi
declare -A samples
for v in "${variants[@]}"; do   # the installed copy's first short command writes its archive; warm the page cache
  measure "$v" "$work/home-10-$v" get openai --field status >/dev/null
  measure "$v" "$work/home-10-$v" list >/dev/null
done
ls "$XDG_CACHE_HOME"/authsome/cds/*.jsa >/dev/null || { echo "the installed copy wrote no class-data archive" >&2; exit 1; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < runs; i++)); do
  for v in "${variants[@]}"; do
    samples[$v,hello]+="$(hello "$v")"$'\n'
    for c in "${commands[@]}"; do
      for n in 10 big; do
        home=$work/home-$n-$v
        [ "$c" = "$oauth_command" ] && home=$work/home-oauth-$n-$v
        # shellcheck disable=SC2086
        samples[$v,$c,$n]+="$(measure "$v" "$home" $c)"$'\n'
      done
    done
  done
done

echo "authsome CLI latency: $runs interleaved runs each, $(nproc) cores, load average $load_before before and" \
  "$(cut -d' ' -f1-3 /proc/loadavg) after"
if [ -n "$oauth_command" ]; then
  # every timed OAuth `get` must have answered from the vault: a token request here would mean a refresh was timed
  token_requests=$(curl -fsS "$issuer/test/counters" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const t=JSON.parse(s).token;console.log(Object.values(t).reduce((a,b)=>a+b,0))})')
  echo "OAuth server: $token_requests token requests while timing \`$oauth_command\` (0: each read the stored token)"
fi
printf '%-46s %-9s %14s %14s %10s %10s\n' command variant "10 conns" "$big conns" "x hello" "big/10"
for v in "${variants[@]}"; do
  read -r hm hp <<<"$(printf '%s' "${samples[$v,hello]}" | stats)"
  printf '%-46s %-9s %14s %14s %10s %10s   (%s)\n' "java hello (floor)" "$v" "$hm ms (p90 $hp)" "" "" "" \
    "$("${variant_java[$v]}" -version 2>&1 | head -n 1)"
  for c in "${commands[@]}"; do
    read -r m1 p1 <<<"$(printf '%s' "${samples[$v,$c,10]}" | stats)"
    read -r m2 p2 <<<"$(printf '%s' "${samples[$v,$c,big]}" | stats)"
    printf '%-46s %-9s %14s %14s %10s %10s\n' "$c" "$v" "$m1 ms (p90 $p1)" "$m2 ms (p90 $p2)" \
      "$(awk -v a="$m1" -v b="$hm" 'BEGIN {printf "%.1f", a / b}')" \
      "$(awk -v a="$m2" -v b="$m1" 'BEGIN {printf "%.2f", a / b}')"
  done
done
