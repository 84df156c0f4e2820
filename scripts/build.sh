#!/usr/bin/env bash
# Configures and builds Huiyin (release preset: optimised, warnings as errors). Idempotent:
# a second run rebuilds only what changed (ccache keeps objects across clean builds).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${HUIYIN_PRESET:-release}
export CCACHE_DIR=${CCACHE_DIR:-$PWD/.cache/ccache}
if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset" "$@"
