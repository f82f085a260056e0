#!/usr/bin/env bash
# Timing of the file vault backend on a vault of 100 records: median and p90 of get() and put() in a warm JVM, and of
# a cold get() in a new JVM (see vault/file/src/test/.../FileVaultBenchmark.java). Not part of the test suite.
#
# Usage: bench/vault-file.sh [gets=500] [puts=100] [coldRuns=11]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -q -pl vault/file -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file" >/dev/null
java -cp "vault/file/target/test-classes:vault/file/target/classes:$(cat "$cp_file")" \
  dev.authsome.vault.file.FileVaultBenchmark "$@"
