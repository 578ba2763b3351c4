#!/usr/bin/env bash
# Installs the Debian packages the build, the server and the tests need; does nothing when they
# are all present. Safe to run again and again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libspdlog-dev libssl-dev libsodium-dev libcrypt-dev python3-zxcvbn
  libvips-dev libcurl4-openssl-dev libhiredis-dev libjemalloc-dev libcli11-dev nginx tzdata
  libgtest-dev libgmock-dev
  postgresql redis-server wrk
  systemd python3-yaml
)

# scripts/fuzz.sh asks for the fuzzing toolchain as well: scripts/setup.sh fuzz
[ "${1:-}" = fuzz ] && packages+=(clang-14 libclang-rt-14-dev libfuzzer-14-dev)
# scripts/test.sh drives the web apps in a real browser (Playwright): scripts/setup.sh tests
[ "${1:-}" = tests ] && packages+=(chromium fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js for the end-to-end tests: any install on PATH will do, else Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
