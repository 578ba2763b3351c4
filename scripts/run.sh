#!/usr/bin/env bash
# Quick start: build (Release) and run the server on the embedded default — SQLite in ./data,
# port 5000, migrated and seeded with the demo menu. Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIPTOP_BUILD_TESTS=OFF >/dev/null
ninja -C build-release tiptop
export NODE_ENV="${NODE_ENV:-development}"
build-release/src/tiptop seed
exec build-release/src/tiptop serve
