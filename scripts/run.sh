#!/usr/bin/env bash
# Quick start: build (Release) and run the server on the embedded default — SQLite in ./data,
# port 5000, migrated and seeded with the demo menu. Ctrl-C stops it gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-release.sh
scripts/build-web.sh  # the console at http://localhost:5000/console/
export NODE_ENV="${NODE_ENV:-development}"
build-release/src/tiptop seed
exec build-release/src/tiptop serve
