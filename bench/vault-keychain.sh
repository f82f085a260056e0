#!/usr/bin/env bash
# Latency of the keychain vault backend (a real Secret Service) next to the file backend: median and p90 of get(),
# put(), and open + get + close, in one warm JVM (see vault/keychain/src/test/.../KeychainVaultBenchmark.java). Not
# part of the test suite. Outside a desktop session it runs itself inside dbus-run-session with a throw-away, unlocked
# gnome-keyring (packages dbus-daemon, gnome-keyring), leaving HOME alone.
#
# Usage: bench/vault-keychain.sh [gets=200] [puts=50] [opens=20]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${AUTHSOME_BENCH_IN_SESSION:-}" ]; then
  keyring=$(mktemp -d)
  trap 'rm -rf "$keyring"' EXIT
  export AUTHSOME_BENCH_IN_SESSION=1 XDG_DATA_HOME=$keyring/share XDG_CONFIG_HOME=$keyring/config
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
  status=0
  dbus-run-session -- bash -c 'eval "$(printf %s bench | gnome-keyring-daemon --unlock --components=secrets)";
    exec "$0" "$@"' "$0" "$@" 2> >(grep -v 'fd limit' >&2) || status=$?
  exit $status
fi
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl vault/keychain -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "vault/keychain/target/test-classes:vault/keychain/target/classes:$(cat "$cp_file")" \
  dev.authsome.vault.keychain.KeychainVaultBenchmark "$@"
