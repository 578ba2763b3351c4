#!/usr/bin/env bash
# Throughput/latency benchmark of GET /health with wrk against a Release build of tiptop.
#
#   bench/run.sh                       # uses build-release/src/tiptop
#   TIPTOP_BIN=/path/to/tiptop bench/run.sh
#
# It builds nothing. It starts the server on a free loopback port with a throwaway SQLite
# database and LOG_LEVEL=warn, runs `wrk -t2 -c64 -d10s --latency` against /health, prints
# wrk's summary, then stops the server with SIGTERM. All traffic stays on 127.0.0.1.
#
# Knobs (environment): TIPTOP_BIN, WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s,
# at most 120s), WARMUP (2s; 0 to skip), IO_THREADS (passed to the server; default = cores).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"

TIPTOP_BIN="${TIPTOP_BIN:-$REPO_ROOT/build-release/src/tiptop}"
WRK="${WRK:-wrk}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
WRK_DURATION="${WRK_DURATION:-10s}"
WARMUP="${WARMUP:-2s}"

die() { echo "bench: $*" >&2; exit 1; }

if [[ ! -x "$TIPTOP_BIN" ]]; then
  cat >&2 <<EOF
bench: no tiptop binary at $TIPTOP_BIN

Build a Release binary first (from the repository root):

  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIPTOP_BUILD_TESTS=OFF && ninja -C build-release tiptop

or point TIPTOP_BIN at an existing one. (Benchmarking a Debug/ASan build measures the sanitizer, not the server.)
EOF
  exit 1
fi
TIPTOP_BIN="$(cd "$(dirname "$TIPTOP_BIN")" && pwd)/$(basename "$TIPTOP_BIN")"

command -v "$WRK" >/dev/null 2>&1 || die "wrk not found (install it, e.g. apt-get install wrk, or set WRK=/path/to/wrk)"
command -v curl >/dev/null 2>&1 || die "curl not found (used to wait for the server to come up)"

# Keep runs bounded: durations are wrk-style (<n>, <n>s or <n>m) and capped at two minutes.
to_seconds() {
  local d="$1"
  case "$d" in
    *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;;
    *)  echo "$d" ;;
  esac
}
for v in WRK_DURATION WARMUP; do
  [[ "${!v}" =~ ^[0-9]+[sm]?$ ]] || die "$v must look like 10s, 30 or 1m (got '${!v}')"
  (( $(to_seconds "${!v}") <= 120 )) || die "$v is capped at 120s (got '${!v}')"
done
(( $(to_seconds "$WRK_DURATION") > 0 )) || die "WRK_DURATION must be positive"
[[ "$WRK_THREADS" =~ ^[1-9][0-9]*$ && "$WRK_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] ||
  die "WRK_THREADS and WRK_CONNECTIONS must be positive integers"

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  elif command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    die "need python3 or node to pick a free port"
  fi
}

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tiptop-bench.XXXXXX")"
SERVER_PID=""
SERVER_LOG="$WORK_DIR/server.log"

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  local pid="$SERVER_PID" rc=0
  SERVER_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "bench: server did not stop within 15s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}

cleanup() {
  local status=$?
  stop_server || true
  if (( status != 0 )) && [[ -s "$SERVER_LOG" ]]; then
    echo "bench: server log (last 20 lines):" >&2
    tail -n 20 "$SERVER_LOG" >&2 || true
  fi
  rm -rf "$WORK_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"

# cwd is the scratch dir so a ./.env in the repository cannot change the configuration.
(
  cd "$WORK_DIR"
  exec env \
    NODE_ENV=test \
    PORT="$PORT" \
    DATABASE_URL="sqlite://$WORK_DIR/tiptop.db" \
    JWT_SECRET="bench-secret-0123456789abcdef-0123456789abcdef" \
    CLIENT_URL="http://localhost:3000" \
    LOG_LEVEL=warn \
    UPLOAD_DIR="$WORK_DIR/uploads" \
    "$TIPTOP_BIN" serve
) >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

# Wait up to 30s for /health to answer 200.
ready=0
for _ in $(seq 1 300); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during startup"
  if curl -fsS -o /dev/null --max-time 1 "$BASE_URL/health" 2>/dev/null; then ready=1; break; fi
  sleep 0.1
done
(( ready )) || die "server did not answer $BASE_URL/health within 30s"

echo "== tiptop /health benchmark"
echo "binary:      $TIPTOP_BIN"
echo "commit:      $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
echo "host:        $(uname -sr), $(nproc 2>/dev/null || echo '?') cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo 'cpu unknown')"
echo "server:      $BASE_URL  IO_THREADS=${IO_THREADS:-auto}  sqlite  LOG_LEVEL=warn"
echo "load:        $("$WRK" --version 2>&1 | head -n1 | cut -d' ' -f1-2), -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency"
echo "sample:      $(curl -fsS --max-time 2 "$BASE_URL/health")"
echo

if [[ "$(to_seconds "$WARMUP")" -gt 0 ]]; then
  echo "== warm-up ($WARMUP, not measured)"
  "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WARMUP" "$BASE_URL/health" >/dev/null
fi

echo "== wrk"
"$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency --timeout 5s \
  -s "$BENCH_DIR/health.lua" "$BASE_URL/health"

echo
echo "== stopping server (SIGTERM)"
rc=0
stop_server || rc=$?
if (( rc != 0 )); then
  die "server exited with code $rc after SIGTERM"
fi
echo "server exited with code 0"
if grep -q '"level":"\(error\|critical\)"' "$SERVER_LOG"; then
  echo "bench: the server logged errors during the run:" >&2
  grep '"level":"\(error\|critical\)"' "$SERVER_LOG" | tail -n 10 >&2
  exit 1
fi
