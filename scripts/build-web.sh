#!/usr/bin/env bash
# Builds the web apps into web/dist (the server's default WEB_DIR): npm packages from
# web/package-lock.json when missing, then esbuild (under a second). --check also type-checks them.
set -euo pipefail
cd "$(dirname "$0")/../web"
{ [ -d node_modules ] && npm ls --silent >/dev/null 2>&1; } || npm ci --no-audit --no-fund
node build.mjs
if [ "${1:-}" = --check ]; then npx --no-install tsc --noEmit -p . && echo "web: types check"; fi
