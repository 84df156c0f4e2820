#!/usr/bin/env bash
# The web application (web/): build, test, screenshots and bundle size.
#   scripts/web.sh build        npm ci when node_modules is missing or older than the lock file, then
#                               vite build into web/dist (skipped when no input changed since the
#                               last build: idempotent and quick)
#   scripts/web.sh test         lint, type check, unit tests (Vitest), then the browser tests
#                               (tests/e2e, headless Chromium against the real huiyin binary)
#   scripts/web.sh screenshots  saves screenshots of the key pages to docs/screenshots/
#   scripts/web.sh size         first-load JavaScript/CSS of the portal home, gzipped
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
web=$root/web
what=${1:-build}

deps() {
  if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "== web: npm ci"
    (cd "$web" && npm ci --no-audit --no-fund)
  fi
}

# A digest of everything the build reads (sources, config, lock file).
inputs_digest() {
  local paths=(src index.html package-lock.json vite.config.ts tsconfig.app.json)
  [ -d "$web/public" ] && paths+=(public)
  (cd "$web" && find "${paths[@]}" -type f | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -d' ' -f1)
}

build() {
  deps
  local digest stamp=$web/dist/.build-digest
  digest=$(inputs_digest)
  if [ -f "$web/dist/index.html" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    echo "== web: dist is up to date"
    return
  fi
  echo "== web: vite build"
  (cd "$web" && npx vite build --logLevel warn)
  echo "$digest" > "$stamp"
  node "$web/scripts/bundle-size.mjs" --quiet || true
}

case "$what" in
  build) build ;;
  test)
    deps
    echo "== web: lint";       (cd "$web" && npm run --silent lint)
    echo "== web: typecheck";  (cd "$web" && npm run --silent typecheck)
    echo "== web: unit tests"; (cd "$web" && npm run --silent test:unit)
    build
    if [ ! -x "$root/build/release/bin/huiyin" ] && [ -z "${HUIYIN_BIN:-}" ]; then
      echo "== web: browser tests need build/release/bin/huiyin (scripts/build.sh --target huiyin)" >&2
      exit 1
    fi
    echo "== web: browser tests"
    node --test --test-concurrency=1 --test-timeout=600000 "$root"/tests/e2e/*.test.mjs
    ;;
  screenshots)
    build
    node "$root/tests/e2e/screenshots.mjs"
    ;;
  size)
    build
    node "$web/scripts/bundle-size.mjs"
    ;;
  *) echo "usage: scripts/web.sh build|test|screenshots|size" >&2; exit 2 ;;
esac
