#!/usr/bin/env bash
# Builds the Release server binary into build-release/src/tiptop (no tests). Used by
# scripts/run.sh, the benchmarks' instructions and deploy/Dockerfile's build stage.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIPTOP_BUILD_TESTS=OFF >/dev/null
ninja -C build-release tiptop
