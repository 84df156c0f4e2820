#!/usr/bin/env bash
# libFuzzer (issue 8): builds the *_fuzz.cc targets with clang, ASan and UBSan in build/fuzz, replays
# the regression inputs (tests/fuzz/regressions/<target>/), then fuzzes each target from its seed
# corpus (tests/fuzz/corpus/<target>/; new inputs go to a scratch corpus, never the repository).
# A crash, a leak, a hang (>10 s) or an out-of-memory (>1 GiB) stops with a non-zero exit and the
# input in build/fuzz/artifacts/: copy it into tests/fuzz/regressions/<target>/ with the fix.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 15 s: the test suite's smoke run)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(request body text calendar_import)
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DHUIYIN_BUILD_FUZZ=ON -DHUIYIN_BUILD_TESTS=OFF -DHUIYIN_BUILD_BENCH=OFF >/dev/null
cmake --build build/fuzz --target fuzz_all
mkdir -p build/fuzz/artifacts
for t in "${targets[@]}"; do
  bin=build/fuzz/fuzz/${t}_fuzz
  opts=(-timeout=10 -rss_limit_mb=1024 -artifact_prefix=build/fuzz/artifacts/"$t"- -print_final_stats=1)
  if compgen -G "tests/fuzz/regressions/$t/*" >/dev/null; then
    echo "== $t: replaying regressions"
    if ! "$bin" "${opts[@]}" tests/fuzz/regressions/"$t"/* >build/fuzz/replay.log 2>&1; then
      cat build/fuzz/replay.log >&2
      echo "fuzz target $t fails on a regression input again" >&2
      exit 1
    fi
  fi
  scratch=$(mktemp -d)
  echo "== $t: fuzzing ${secs} s"
  status=0
  "$bin" "${opts[@]}" -max_total_time="$secs" -max_len=4096 "$scratch" tests/fuzz/corpus/"$t" \
    >"$scratch.log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY)" \
    "$scratch.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$scratch.log" >&2
    echo "fuzz target $t failed (exit $status); the input is in build/fuzz/artifacts/" >&2
    rm -rf "$scratch" "$scratch.log"
    exit 1
  fi
  rm -rf "$scratch" "$scratch.log"
done
echo "fuzz: all targets passed"
