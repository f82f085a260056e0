#!/bin/sh
# Installs the npm packages of the Node test servers (testing/oidc-server: the real OAuth authorization server;
# testing/proxy-clients: the Node client of the proxy tests) when they are missing, so that `mvn -B verify` on a fresh
# clone runs the OAuth end-to-end suites instead of skipping them. Run by the root pom at `validate`.
# Never fails the build: without npm, or when the registry is unreachable, it says so and the suites that need the
# packages skip with that reason (listed again at the end of the build; AUTHSOME_TEST_REQUIRE_ALL=1 makes them fail).
dir=$(dirname "$0")
for server in oidc-server proxy-clients; do
  [ -f "$dir/$server/package-lock.json" ] || continue
  if [ -d "$dir/$server/node_modules" ] && [ "$dir/$server/node_modules/.package-lock.json" -nt "$dir/$server/package-lock.json" ]; then
    continue
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "[authsome] npm not found: not installing testing/$server (its end-to-end suites will be skipped; install Node.js and npm to run them)"
    continue
  fi
  echo "[authsome] installing the npm packages of testing/$server (npm ci)"
  if ! (cd "$dir/$server" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "[authsome] npm ci failed in testing/$server (offline?): its end-to-end suites will be skipped"
  fi
done
exit 0
