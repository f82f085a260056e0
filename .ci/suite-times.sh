#!/usr/bin/env bash
# Prints the time each test class took (surefire and failsafe reports), slowest first, and a total per module.
shopt -s nullglob globstar
files=(**/target/surefire-reports/TEST-*.xml **/target/failsafe-reports/TEST-*.xml)
[ ${#files[@]} -gt 0 ] || { echo "(no test reports)"; exit 0; }
for f in "${files[@]}"; do
  module=${f%%/target/*}
  line=$(grep -m1 -o '<testsuite [^>]*' "$f")
  name=$(sed -n 's/.* name="\([^"]*\)".*/\1/p' <<<"$line")
  time=$(sed -n 's/.* time="\([^"]*\)".*/\1/p' <<<"$line")
  tests=$(sed -n 's/.* tests="\([^"]*\)".*/\1/p' <<<"$line")
  skipped=$(sed -n 's/.* skipped="\([^"]*\)".*/\1/p' <<<"$line")
  printf '%8.1f s  %-28s %-60s %3s tests %3s skipped\n' "${time:-0}" "$module" "$name" "$tests" "$skipped"
done | sort -rn
