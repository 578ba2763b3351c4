#!/usr/bin/env bash
# Runs the official Engine.IO and Socket.IO protocol test suites against `tiptop serve` in
# conformance mode (port 3000, ping 300/200 ms, connect timeout 1 s, the suites' echo handlers).
#
#   scripts/conformance.sh <engine.io-protocol checkout> <socket.io-protocol checkout>
#
# The suites are not part of this repository: check out socketio/engine.io-protocol and
# socketio/socket.io-protocol (any commit with a test-suite/ folder) and pass their paths; a bare
# git directory works too. The suites' npm packages are installed into a temporary copy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${TIPTOP_BIN:-$root/build/src/tiptop}"
[[ $# -eq 2 ]] || { sed -n 2,9p "$0" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "conformance: no tiptop binary at $bin (build first or set TIPTOP_BIN)" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

copy_suite() {  # <checkout> <name>
  mkdir -p "$work/$2"
  if [[ -d "$1/test-suite" ]]; then cp -r "$1/test-suite" "$work/$2/"
  else git --git-dir="$1" archive HEAD test-suite | tar -x -C "$work/$2"; fi
  (cd "$work/$2/test-suite" && npm ci --silent --no-audit --no-fund >/dev/null)
}
copy_suite "$1" engine.io
copy_suite "$2" socket.io

(cd "$work" && exec env SOCKET_CONFORMANCE=1 SOCKET_HANDSHAKES_PER_MINUTE=0 PORT=3000 SOCKET_PING_INTERVAL_MS=300 SOCKET_PING_TIMEOUT_MS=200 \
   SOCKET_CONNECT_TIMEOUT_MS=1000 DATABASE_URL="sqlite://$work/conformance.db" LOG_LEVEL=warn "$bin" serve) \
   >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null 'http://127.0.0.1:3000/health' && break; sleep 0.2; done

status=0
for suite in engine.io socket.io; do
  echo "== $suite protocol test suite"
  (cd "$work/$suite/test-suite" && npx mocha test-suite.js) || status=1
done
exit "$status"
