#!/usr/bin/env bash
# The whole test suite: installs what tests need, builds (warnings as errors), runs the unit tests,
# the storage conformance suite on memory, SQLite and a throwaway PostgreSQL cluster, and the API
# tests against the real `huiyin` binary on loopback (SQLite and PostgreSQL). Exits non-zero on
# any failure. Idempotent. HUIYIN_TEST_SKIP_PG=1 skips PostgreSQL (not in CI).
set -euo pipefail
# The hostile-input tests hold 10,000 idle connections: both ends need the descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh test
scripts/build.sh

pgdir=$(mktemp -d /tmp/huiyin-pg.XXXXXX)
cleanup() { scripts/pg.sh stop "$pgdir" || true; rm -rf "$pgdir"; }
trap cleanup EXIT
if [ "${HUIYIN_TEST_SKIP_PG:-0}" != 1 ]; then
  port=$(( 55000 + RANDOM % 5000 ))
  export HUIYIN_TEST_PG_URL=$(scripts/pg.sh start "$pgdir" "$port")
  export HUIYIN_TEST_PG_DIR=$pgdir  # the fault tests restart the cluster
  echo "PostgreSQL test cluster: $HUIYIN_TEST_PG_URL"
fi

echo "== unit tests and storage conformance (ctest)"
ctest --preset release --timeout 600

echo "== fuzz targets: regression inputs, then a short run of each (scripts/fuzz.sh)"
scripts/fuzz.sh "${HUIYIN_FUZZ_SECONDS:-15}"

echo "== API tests against the real binary"
# Test-only npm packages (JSON Schema and XML validation for the Open311 conformance suite).
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules ]; then
  npm ci --prefix tests --no-audit --no-fund
fi
backends=(sqlite)
[ -n "${HUIYIN_TEST_PG_URL:-}" ] && backends+=(postgres)
for backend in "${backends[@]}"; do
  echo "-- backend: $backend"
  HUIYIN_TEST_BACKEND=$backend node --test --test-concurrency=2 --test-timeout=300000 \
    "$root"/tests/api/*.test.mjs
done
echo "== fault tests (one at a time: they lock, fill and restart databases)"
for backend in "${backends[@]}"; do
  echo "-- backend: $backend"
  HUIYIN_TEST_BACKEND=$backend node --test --test-concurrency=1 --test-timeout=300000 \
    "$root"/tests/faults/*.test.mjs
done

if [ -f web/package.json ] && [ "${HUIYIN_TEST_SKIP_WEB:-0}" != 1 ]; then
  echo "== web: lint, type check, unit tests, browser tests"
  scripts/web.sh test
fi
echo "All test stages passed."
