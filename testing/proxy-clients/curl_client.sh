#!/bin/sh
# See README.md: one request per URL argument, results on stdout.
echo "KEY ${E2E_API_KEY:--}"
for url in "$@"; do
  if out=$(curl -sS --max-time 60 -H "Authorization: Bearer ${E2E_API_KEY:-}" -w ' %{http_code}' "$url" 2>&1); then
    echo "RESULT $url ${out##* } ${out% *}"
  else
    echo "ERROR $url $out" | tr '\n' ' '
    echo
  fi
done
