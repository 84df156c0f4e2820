#!/usr/bin/env bash
# Quick start: installs what is missing, builds, creates var/huiyin.db with the demo city (if
# absent) and serves Huiyin on http://127.0.0.1:8080. Extra arguments go to `huiyin serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh --target huiyin
if [ -f web/package.json ]; then scripts/web.sh build; fi
bin=build/release/bin/huiyin
mkdir -p var
if [ ! -f var/huiyin.db ]; then
  "$bin" migrate --db sqlite:var/huiyin.db
  "$bin" demo --db sqlite:var/huiyin.db | tee var/demo-accounts.txt
  chmod 600 var/demo-accounts.txt
  echo "The demo accounts above are kept in var/demo-accounts.txt."
fi
exec "$bin" serve --config config/huiyin.toml "$@"
