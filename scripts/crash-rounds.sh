#!/usr/bin/env bash
# kill -9 under concurrent order load, ROUNDS times (default 50) on one database, with a report:
#   scripts/crash-rounds.sh [ROUNDS]                     SQLite (a fresh file)
#   TIPTOP_E2E_DATABASE_URL=postgres://… scripts/crash-rounds.sh [ROUNDS]
# Builds the server (Debug, sanitizers) if needed. The test command runs three rounds (and one
# on PostgreSQL) as tests/e2e/crash/kill9.test.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd tests/e2e && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
[ -d build ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
ninja -C build tiptop
export TIPTOP_BIN="$(pwd)/build/src/tiptop"
cd tests/e2e && exec node crash/report.mjs "${1:-50}"
