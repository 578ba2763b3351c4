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

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

require_tiptop_bin
require_wrk
require_curl "used to wait for the server to come up"
check_load_knobs

make_work_dir tiptop-bench
tiptop_env
install_traps

PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
start_tiptop "$PORT"

echo "== tiptop /health benchmark"
echo "binary:      $TIPTOP_BIN"
echo "commit:      $(commit_desc)"
echo "host:        $(uname -sr), $(nproc 2>/dev/null || echo '?') cores, $(cpu_model)"
echo "server:      $BASE_URL  IO_THREADS=${IO_THREADS:-auto}  sqlite  LOG_LEVEL=warn"
echo "load:        $(wrk_version), -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency"
echo "sample:      $(curl -fsS --max-time 2 "$BASE_URL/health")"
echo

wrk_warmup "$BASE_URL/health"

echo "== wrk"
wrk_measure health.lua "$BASE_URL/health"

echo
echo "== stopping server (SIGTERM)"
stop_tiptop_or_die
echo "server exited with code 0"
if report_tiptop_log_errors "the server"; then
  exit 1
fi
