#!/usr/bin/env bash
# Formats every C++ file with the project's .clang-format; `--check` only reports; `--tidy` also
# runs clang-tidy over the compile database of the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cc' '*.h')
if [ "${1:-}" = --check ]; then
  clang-format --dry-run -Werror $files
elif [ "${1:-}" = --tidy ]; then
  run-clang-tidy -quiet -p build/release $(git ls-files 'src/*.cc') 
else
  clang-format -i $files
fi
