#!/usr/bin/env bash
# Read and write latency (median, p99) of the postgres vault backend next to the file backend, interleaved in one
# warm JVM, against a throw-away PostgreSQL cluster on loopback (needs Debian's postgresql package; see
# vault/postgres/src/test/.../PostgresVaultBenchmark.java). Not part of the test suite.
#
# Usage: bench/vault-postgres.sh [rounds=2000]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl vault/postgres -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "vault/postgres/target/test-classes:vault/postgres/target/classes:$(cat "$cp_file")" \
  dev.authsome.vault.postgres.PostgresVaultBenchmark "$@"
