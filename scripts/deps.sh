#!/usr/bin/env bash
# Installs the Debian packages Huiyin needs, only those missing. Usage: scripts/deps.sh build|test
set -euo pipefail
what=${1:-build}
build_pkgs=(cmake ninja-build g++ ccache pkg-config libboost-dev libboost-system-dev nlohmann-json3-dev
  libspdlog-dev libfmt-dev libcli11-dev libsodium-dev libtomlplusplus-dev libsqlite3-dev libpq-dev
  libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libxlsxwriter-dev sqlite3 nodejs)
test_pkgs=(postgresql postgresql-contrib chromium fonts-noto-cjk curl clang libclang-rt-14-dev)
pkgs=("${build_pkgs[@]}")
if [ "$what" = test ]; then pkgs+=("${test_pkgs[@]}"); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node may come from outside Debian's nodejs package; accept any node >= 20 on the PATH.
if command -v node >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}")
fi
to_install=()
for p in "${missing[@]}"; do [ -n "$p" ] && to_install+=("$p"); done
if [ ${#to_install[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${to_install[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${to_install[@]}" >/dev/null
fi
