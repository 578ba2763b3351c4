#!/usr/bin/env bash
# Realtime benchmark: 10,000 concurrent idle Socket.IO clients (WebSocket transport), the server's
# memory per connection and the latency from an admin status change (HTTP) to the customer's
# receipt of order:status:updated, for tiptop and, with the same load script, a plain Node.js
# socket.io v4 server (bench/realtime/node-reference.mjs). Goals for tiptop: <= 8 KB of server
# memory per idle connection and p99 <= 5 ms.
#
#   bench/realtime.sh                          # build-release/src/tiptop, then the node reference
#   SKIP_TIPTOP=1 bench/realtime.sh            # only the node reference
#   CONNECTIONS=2000 EVENTS=50 bench/realtime.sh
#
# It builds nothing (see bench/lib.sh) and needs bench/realtime/node_modules
# (`npm ci --prefix bench/realtime`). Everything runs in a throwaway temp dir on 127.0.0.1; the two
# servers run one after the other, never together. For each server:
#   1. tiptop only: a fresh SQLite database with the demo menu (`tiptop seed`) and an administrator
#      (`tiptop create-admin ... --password-stdin`); `tiptop serve` with NODE_ENV=test,
#      LOG_LEVEL=warn, RATE_LIMIT_MAX=1000000 per 1 s window, AUTH_RATE_LIMIT_MAX=10000 (the
#      configuration's maximum) and SOCKET_PING_INTERVAL_MS=PING_INTERVAL_MS; the admin logs in
#      (POST /api/v1/auth/login), one measured customer and FILLER_USERS filler customers register
#      (POST /api/v1/auth/register), and the order body is built from the menu as in bench/orders.sh
#      (first 3 available items, first option of every required customization, COD).
#      node reference: `node bench/realtime/node-reference.mjs` with pingInterval=PING_INTERVAL_MS;
#      its "tokens" are plain user ids.
#   2. bench/realtime/load.mjs, a separate node process (raw Engine.IO v4 / Socket.IO v5 over `ws`):
#      warm-up (300 GET /health, 100 Socket.IO connect/disconnect, one unmeasured order lifecycle);
#      server RSS "before" (VmRSS of the server's pid); CONNECTIONS idle clients opened CONCURRENCY
#      at a time with the filler users' tokens round-robin; idle IDLE_SECONDS and until every client
#      has answered at least one engine.io ping; RSS "after"; per connection = (after - before) / N.
#      Then the measured customer connects and EVENTS status changes are made one at a time
#      (PUT /api/v1/admin/orders/:id, 5 per order: confirmed, preparing, ready, out-for-delivery,
#      delivered; tiptop's orders are placed with POST /api/v1/orders as the customer). Latency =
#      receipt of the matching order:status:updated on the customer's socket minus the moment
#      just before the HTTP request was written; p50/p99/max over EVENTS. For tiptop this includes
#      the status change's database transaction (SQLite, synchronous=FULL unless SQLITE_SYNCHRONOUS
#      says otherwise: one fsync per change); http_p50 in the table is the HTTP answer's p50.
#   3. the server is stopped with SIGTERM (must exit 0); tiptop must not have logged errors.
# Finally a table of both servers and whether tiptop met the goals.
#
# Exit status: 0 for a clean run whether or not the goals are met (REQUIRE_GOALS=1 makes a missed
# tiptop goal exit 2), 1 on any error (a failed or dropped connection, a missing event, a non-200
# answer, a server exit code, errors in tiptop's log).
#
# Knobs (environment): TIPTOP_BIN, CONNECTIONS (10000), EVENTS (200), CONCURRENCY (200 connects in
# flight), IDLE_SECONDS (6), PING_INTERVAL_MS (5000, both servers), FILLER_USERS (20),
# WS_DEFLATE (1: the clients offer permessage-deflate like browsers and socket.io-client; 0: not),
# SKIP_TIPTOP, SKIP_NODE, REQUIRE_GOALS (0), NODE (node), IO_THREADS and SQLITE_SYNCHRONOUS (passed
# to tiptop), SOURCE_ADDRESSES (loopback addresses the clients connect from; default one per 25,000
# sockets, since one address reaches a port from only ~28,000 ephemeral ports).
#
# 50,000 sockets (issue 24): CONNECTIONS=50000 bench/realtime.sh, on a host whose open-files hard
# limit (ulimit -Hn) is above 51,024 — the script raises the soft limit and refuses to start otherwise.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SERVER_NAME=tiptop
CORES="$(nproc 2>/dev/null || echo '?')"
RT_DIR="$BENCH_DIR/realtime"
NODE="${NODE:-node}"
CONNECTIONS="${CONNECTIONS:-10000}"
EVENTS="${EVENTS:-200}"
CONCURRENCY="${CONCURRENCY:-200}"
IDLE_SECONDS="${IDLE_SECONDS:-6}"
PING_INTERVAL_MS="${PING_INTERVAL_MS:-5000}"
FILLER_USERS="${FILLER_USERS:-20}"
WS_DEFLATE="${WS_DEFLATE:-1}"
FANOUT="${FANOUT:-10000}"
FANOUT_EVENTS="${FANOUT_EVENTS:-20}"
SKIP_TIPTOP="${SKIP_TIPTOP:-0}"
SKIP_NODE="${SKIP_NODE:-0}"
REQUIRE_GOALS="${REQUIRE_GOALS:-0}"

GOAL_PER_CONN_KB=6
GOAL_P99_MS=5
GOAL_FANOUT_MS=50
ADMIN_EMAIL="admin@bench.test"
ADMIN_PHONE="9800000001"
ADMIN_PASSWORD="bench-admin-password-2024"
CUSTOMER_PASSWORD="bench-customer-password-2024"

# ---------------------------------------------------------------------------------------------
# Prerequisites and knobs

int_knob() {  # int_knob <name> <min> <max>
  if ! [[ "${!1}" =~ ^[0-9]+$ ]] || (( ${!1} < $2 || ${!1} > $3 )); then
    die "$1 must be an integer from $2 to $3 (got '${!1}')"
  fi
}
int_knob CONNECTIONS 1 1000000
int_knob EVENTS 1 100000
int_knob CONCURRENCY 1 10000
int_knob IDLE_SECONDS 0 600
int_knob PING_INTERVAL_MS 1000 600000
int_knob FILLER_USERS 1 1000
int_knob FANOUT 0 1000000
int_knob FANOUT_EVENTS 1 10000
int_knob WS_DEFLATE 0 1
[[ "$SKIP_TIPTOP" == 1 && "$SKIP_NODE" == 1 ]] && die "SKIP_TIPTOP=1 and SKIP_NODE=1: nothing to run"

command -v "$NODE" >/dev/null 2>&1 || die "node not found (set NODE=/path/to/node)"
JSON_TOOL=node  # for lib.sh's json_get and order_body
NODE_VERSION="$("$NODE" --version)"
if ! [[ "$NODE_VERSION" =~ ^v([0-9]+) ]] || (( BASH_REMATCH[1] < 20 )); then die "node >= 20 needed (found $NODE_VERSION)"; fi
for pkg in ws socket.io; do
  [[ -f "$RT_DIR/node_modules/$pkg/package.json" ]] ||
    die "bench/realtime/node_modules/$pkg is missing; install the pinned packages first: npm ci --prefix bench/realtime"
done
pkg_version() { "$NODE" -p "require(process.argv[1]).version" "$RT_DIR/node_modules/$1/package.json"; }
SIO_VERSION="$(pkg_version socket.io)"
WS_VERSION="$(pkg_version ws)"

if [[ "$SKIP_TIPTOP" != 1 ]]; then
  require_tiptop_bin
  require_curl "used to log in, register the customers and read the menu"
fi
require_curl "used to wait for the servers to come up"

# Every client socket is a file descriptor in load.mjs and every connection one in the server:
# raise the soft limit (inherited by both) to the hard limit.
FD_NEED=$(( (CONNECTIONS > FANOUT ? CONNECTIONS : FANOUT) + 1024 ))  # the fan-out opens after the idle clients close
FD_HARD="$(ulimit -Hn)"
if [[ "$FD_HARD" == unlimited ]]; then
  ulimit -n "$FD_NEED" 2>/dev/null || die "could not raise the open-files limit to $FD_NEED"
else
  (( FD_HARD >= FD_NEED )) ||
    die "CONNECTIONS=$CONNECTIONS needs an open-files limit of at least $FD_NEED; the hard limit is $FD_HARD (lower CONNECTIONS or raise it)"
  ulimit -n "$FD_HARD" || die "could not raise the open-files soft limit to $FD_HARD"
fi

# ---------------------------------------------------------------------------------------------
# Scratch dir, environment, cleanup

make_work_dir tiptop-realtime-bench
tiptop_env
TIPTOP_ENV+=(
  # See bench/menu.sh: the general limiter's default (100 per 15 min per IP) would answer with 429s;
  # RATE_LIMIT_MAX is capped at 1,000,000, so the window is cut to 1 s. The limiter still runs.
  RATE_LIMIT_MAX=1000000
  RATE_LIMIT_WINDOW_MS=1000
  AUTH_RATE_LIMIT_MAX=10000   # the configuration's maximum (login attempts per IP and account)
  SOCKET_PING_INTERVAL_MS="$PING_INTERVAL_MS"
)
NODE_PID=""
LOAD_PID=""
NODE_LOG="$WORK_DIR/node-reference.log"

# cleanup hooks (see lib.sh)
bench_before_stop() {
  if [[ -n "$LOAD_PID" ]]; then local p="$LOAD_PID"; LOAD_PID=""; stop_pid "$p" load.mjs || true; fi
  if [[ -n "$NODE_PID" ]]; then local p="$NODE_PID"; NODE_PID=""; stop_pid "$p" "node reference server" || true; fi
}
# exit 2 (goal missed with REQUIRE_GOALS=1) is not a failure
bench_failure_logs() {
  (( $1 != 2 )) || return 0
  tail_log "tiptop log" "$SERVER_LOG"
  tail_log "node reference log" "$NODE_LOG"
}
install_traps

# tiptop_cmd <args...>: a tiptop CLI command in the scratch dir with TIPTOP_ENV.
tiptop_cmd() { ( cd "$WORK_DIR" && exec env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" "$@" ); }

# post_json <path> <body file> <out file> [curl args...]: prints the HTTP status.
post_json() {
  local path="$1" body="$2" out="$3"; shift 3
  curl -sS --max-time 30 -o "$out" -w '%{http_code}' -H 'Content-Type: application/json' "$@" \
    --data-binary @"$body" "$BASE_URL$path"
}

# run_load <label> <server pid> <trigger> [VAR=value...]: bench/realtime/load.mjs against BASE_URL;
# its RESULT line lands in $WORK_DIR/result-<label>.txt.
run_load() {
  local label="$1" pid="$2" trigger="$3" rc=0; shift 3
  env BENCH_URL="$BASE_URL" BENCH_SERVER_PID="$pid" BENCH_TRIGGER="$trigger" \
    BENCH_CONNECTIONS="$CONNECTIONS" BENCH_CONCURRENCY="$CONCURRENCY" BENCH_EVENTS="$EVENTS" \
    BENCH_IDLE_SECONDS="$IDLE_SECONDS" BENCH_WS_DEFLATE="$WS_DEFLATE" \
    ${SOURCE_ADDRESSES:+BENCH_SOURCE_ADDRESSES="$SOURCE_ADDRESSES"} \
    BENCH_RESULT_FILE="$WORK_DIR/result-$label.txt" "$@" \
    "$NODE" "$RT_DIR/load.mjs" &
  LOAD_PID=$!
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  (( rc == 0 )) || die "$label: the load generator failed (exit code $rc)"
  [[ -s "$WORK_DIR/result-$label.txt" ]] || die "$label: the load generator wrote no RESULT line"
}

# field <label> <key>: one value of that server's RESULT line.
field() { wrk_result_field "$WORK_DIR/result-$1.txt" "$2"; }

# check_run <label>: 0 when the run was clean (all connected, none dropped, every event received).
check_run() {
  local label="$1" ok=0
  [[ "$(field "$label" connected)" == "$CONNECTIONS" && "$(field "$label" failed)" == 0 ]] ||
    { echo "bench: $label: only $(field "$label" connected) of $CONNECTIONS clients connected" >&2; ok=1; }
  [[ "$(field "$label" dropped)" == 0 ]] ||
    { echo "bench: $label: $(field "$label" dropped) idle clients were disconnected during the run" >&2; ok=1; }
  [[ "$(field "$label" events_ok)" == "$EVENTS" ]] ||
    { echo "bench: $label: $(field "$label" events_ok) of $EVENTS events received ($(field "$label" event_error))" >&2; ok=1; }
  [[ "$(field "$label" stray)" == 0 ]] ||
    { echo "bench: $label: $(field "$label" stray) events reached idle clients that should get none" >&2; ok=1; }
  (( $(field "$label" min_pings) >= 1 )) ||
    echo "bench: $label: some idle clients got no engine.io ping during the idle period (ping interval $(field "$label" ping_interval_ms) ms)" >&2
  return "$ok"
}

echo "== realtime: $CONNECTIONS idle Socket.IO clients (WebSocket), RSS per connection, $EVENTS status changes HTTP -> customer socket"
echo "commit:      $(commit_desc)"
echo "host:        $(uname -sr), $CORES cores, $(cpu_model); open files limit $(ulimit -n)"
echo "load:        bench/realtime/load.mjs (node $NODE_VERSION, ws $WS_VERSION, raw Engine.IO v4 / Socket.IO v5), $CONCURRENCY connects in flight, idle >= ${IDLE_SECONDS}s and one ping, permessage-deflate $([[ "$WS_DEFLATE" == 1 ]] && echo offered || echo 'not offered'), ping interval $PING_INTERVAL_MS ms"
echo

problems=0
RAN=()

# ---------------------------------------------------------------------------------------------
# tiptop

if [[ "$SKIP_TIPTOP" != 1 ]]; then
  bin_mtime="$(stat -c %Y "$TIPTOP_BIN" 2>/dev/null || echo 0)"
  bin_built="$(date -u -d "@$bin_mtime" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?')"
  echo "== tiptop: $TIPTOP_BIN (built $bin_built)"
  head_time="$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)"
  if (( bin_mtime > 0 && head_time > bin_mtime )); then
    echo "   NOTE: the binary is older than the HEAD commit; it may not contain the latest changes"
  fi

  seed_out="$(tiptop_cmd seed 2>&1)" || { echo "$seed_out" >&2; die "tiptop seed failed"; }
  grep -qE 'demo menu items added: [0-9]+' <<<"$seed_out" || { echo "$seed_out" >&2; die "tiptop seed did not report 'demo menu items added'"; }
  admin_out="$(printf '%s\n' "$ADMIN_PASSWORD" | tiptop_cmd create-admin --email "$ADMIN_EMAIL" --phone "$ADMIN_PHONE" \
    --first-name Bench --last-name Admin --password-stdin 2>&1)" || { echo "$admin_out" >&2; die "tiptop create-admin failed"; }

  # The fan-out's admins: SOCKET_MAX_PER_USER (1000 in bench/lib.sh) sockets each, all in one room.
  FANOUT_ADMINS=$(( (FANOUT + 999) / 1000 ))
  for i in $(seq 1 "$FANOUT_ADMINS"); do
    out="$(printf '%s\n' "$ADMIN_PASSWORD" | tiptop_cmd create-admin --email "fan-$i@bench.test" \
      --phone "98000$(( 20000 + i ))" --first-name Fan --last-name "Admin $i" --password-stdin 2>&1)" ||
      { echo "$out" >&2; die "tiptop create-admin (fan-out admin $i) failed"; }
  done

  PORT="$(free_port)"
  BASE_URL="http://127.0.0.1:$PORT"
  start_tiptop "$PORT"
  echo "   $BASE_URL  IO_THREADS=${IO_THREADS:-auto}  sqlite synchronous=${SQLITE_SYNCHRONOUS:-FULL}  LOG_LEVEL=warn  RATE_LIMIT_MAX=1000000/1s  SOCKET_PING_INTERVAL_MS=$PING_INTERVAL_MS"

  # the admin's token
  printf '{"email":"%s","password":"%s"}' "$ADMIN_EMAIL" "$ADMIN_PASSWORD" >"$WORK_DIR/login.json"
  code="$(post_json /api/v1/auth/login "$WORK_DIR/login.json" "$WORK_DIR/login-answer.json")" || die "POST /api/v1/auth/login failed"
  [[ "$code" == 200 ]] || { cat "$WORK_DIR/login-answer.json" >&2; echo >&2; die "the admin's login answered $code"; }
  ADMIN_TOKEN="$(json_get "$WORK_DIR/login-answer.json" data.token)" || die "no data.token in the login answer"
  FANOUT_TOKENS=""
  for i in $(seq 1 "$FANOUT_ADMINS"); do
    printf '{"email":"fan-%d@bench.test","password":"%s"}' "$i" "$ADMIN_PASSWORD" >"$WORK_DIR/login.json"
    code="$(post_json /api/v1/auth/login "$WORK_DIR/login.json" "$WORK_DIR/login-answer.json")" || die "POST /api/v1/auth/login failed"
    [[ "$code" == 200 ]] || { cat "$WORK_DIR/login-answer.json" >&2; echo >&2; die "fan-out admin $i's login answered $code"; }
    FANOUT_TOKENS+="${FANOUT_TOKENS:+,}$(json_get "$WORK_DIR/login-answer.json" data.token)"
  done

  # register <n> <email>: a customer; prints its token. Phones 98000100nn (the admin has 9800000001).
  register() {
    local n="$1" email="$2" code
    printf '{"email":"%s","phone":"98000%05d","password":"%s","firstName":"Bench","lastName":"Customer %d"}' \
      "$email" "$(( 10000 + n ))" "$CUSTOMER_PASSWORD" "$n" >"$WORK_DIR/register.json"
    code="$(post_json /api/v1/auth/register "$WORK_DIR/register.json" "$WORK_DIR/register-answer.json")" ||
      die "POST /api/v1/auth/register failed"
    [[ "$code" == 201 ]] || { cat "$WORK_DIR/register-answer.json" >&2; echo >&2; die "registering $email answered $code, not 201"; }
    json_get "$WORK_DIR/register-answer.json" data.token || die "no data.token in the register answer"
  }
  CUSTOMER_TOKEN="$(register 0 customer@bench.test)"
  FILLER_TOKENS=""
  for i in $(seq 1 "$FILLER_USERS"); do
    FILLER_TOKENS+="${FILLER_TOKENS:+,}$(register "$i" "filler-$i@bench.test")"
  done

  curl -fsS --max-time 10 -o "$WORK_DIR/menu.json" "$BASE_URL/api/v1/menu/items?limit=100" ||
    die "GET /api/v1/menu/items?limit=100 failed"
  ITEMS_DESC="$(order_body "$WORK_DIR/menu.json" "$WORK_DIR/order.json")" || die "could not build the order body"
  echo "   admin $ADMIN_EMAIL; measured customer customer@bench.test; $FILLER_USERS filler customers ($(( (CONNECTIONS + FILLER_USERS - 1) / FILLER_USERS )) idle sockets each at most)"
  echo "   order: $ITEMS_DESC; COD; placed by the customer (POST /api/v1/orders) every 5 status changes"

  run_load tiptop "$SERVER_PID" tiptop \
    BENCH_IDLE_TOKENS="$FILLER_TOKENS" BENCH_MEASURED_TOKEN="$CUSTOMER_TOKEN" \
    BENCH_ADMIN_TOKEN="$ADMIN_TOKEN" BENCH_ORDER_BODY="$(cat "$WORK_DIR/order.json")" \
    BENCH_FANOUT="$FANOUT" BENCH_FANOUT_EVENTS="$FANOUT_EVENTS" BENCH_FANOUT_TOKENS="$FANOUT_TOKENS"
  check_run tiptop || problems=1
  if (( FANOUT > 0 )) && [[ "$(field tiptop fanout_events)" != "$FANOUT_EVENTS" ]]; then
    echo "bench: tiptop: the fan-out completed $(field tiptop fanout_events) of $FANOUT_EVENTS events" >&2
    problems=1
  fi

  stop_tiptop_or_die
  echo "   tiptop exited with code 0"
  if report_tiptop_log_errors tiptop; then problems=1; fi
  RAN+=(tiptop)
  echo
fi

# ---------------------------------------------------------------------------------------------
# node reference (plain socket.io v4)

if [[ "$SKIP_NODE" != 1 ]]; then
  PORT="$(free_port)"
  BASE_URL="http://127.0.0.1:$PORT"
  echo "== node-sio4: bench/realtime/node-reference.mjs (socket.io $SIO_VERSION, node $NODE_VERSION)"
  ( cd "$RT_DIR" && exec env PORT="$PORT" HOST=127.0.0.1 PING_INTERVAL_MS="$PING_INTERVAL_MS" "$NODE" node-reference.mjs ) >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
  wait_for "$BASE_URL/health" "$NODE_PID" "the node reference server"
  echo "   $(head -n1 "$NODE_LOG")"

  FILLER_IDS=""
  for i in $(seq 1 "$FILLER_USERS"); do FILLER_IDS+="${FILLER_IDS:+,}filler-$i"; done
  run_load node-sio4 "$NODE_PID" node-reference BENCH_IDLE_TOKENS="$FILLER_IDS" BENCH_MEASURED_TOKEN=customer-0
  check_run node-sio4 || problems=1

  pid="$NODE_PID"; NODE_PID=""
  rc=0; stop_pid "$pid" "the node reference server" || rc=$?
  (( rc == 0 )) || die "the node reference server exited with code $rc after SIGTERM"
  echo "   node reference exited with code 0"
  RAN+=(node-sio4)
  echo
fi

# ---------------------------------------------------------------------------------------------
# Summary

echo "== summary: $CONNECTIONS idle clients, $EVENTS status changes (HTTP -> customer socket), $CORES cores, load generator on the same cores"
printf '%-11s %11s %13s %12s %11s %6s %7s %7s %11s %8s\n' server connections rss_before_MB rss_after_MB per_conn_KB \
  p50_ms p99_ms max_ms http_p50_ms ping_ms
for label in "${RAN[@]}"; do
  printf '%-11s %11s %13.1f %12.1f %11s %6s %7s %7s %11s %8s\n' "$label" "$(field "$label" connected)" \
    "$(awk -v v="$(field "$label" rss_before_kb)" 'BEGIN { print v / 1024 }')" \
    "$(awk -v v="$(field "$label" rss_after_kb)" 'BEGIN { print v / 1024 }')" \
    "$(field "$label" per_conn_kb)" "$(field "$label" p50_ms)" "$(field "$label" p99_ms)" "$(field "$label" max_ms)" \
    "$(field "$label" http_p50_ms)" "$(field "$label" ping_interval_ms)"
done

goal_ok=yes
if [[ " ${RAN[*]} " == *" tiptop "* ]]; then
  mem_ok="$(awk -v v="$(field tiptop per_conn_kb)" -v g="$GOAL_PER_CONN_KB" 'BEGIN { print (v <= g ? "yes" : "no") }')"
  p99_ok="$(awk -v v="$(field tiptop p99_ms)" -v g="$GOAL_P99_MS" 'BEGIN { print (v != "nan" && v <= g ? "yes" : "no") }')"
  fan_ok=skipped
  if (( FANOUT > 0 )); then
    echo "fan-out (tiptop): one admin:new-order to a room of $FANOUT sockets, $FANOUT_EVENTS orders: last receipt p50 $(field tiptop fanout_last_p50_ms) ms, max $(field tiptop fanout_last_max_ms) ms (first receipt p50 $(field tiptop fanout_first_p50_ms) ms, the order's HTTP answer p50 $(field tiptop fanout_http_p50_ms) ms)"
    fan_ok="$(awk -v v="$(field tiptop fanout_last_p50_ms)" -v g="$GOAL_FANOUT_MS" 'BEGIN { print (v != "nan" && v <= g ? "yes" : "no") }')"
  fi
  [[ "$mem_ok" == yes && "$p99_ok" == yes && "$fan_ok" != no ]] || goal_ok=no
  echo "goals (tiptop): per connection <= $GOAL_PER_CONN_KB KB: $mem_ok; p99 <= $GOAL_P99_MS ms: $p99_ok; fan-out to the last socket (p50) <= $GOAL_FANOUT_MS ms: $fan_ok"
  if [[ "$goal_ok" == yes ]]; then echo "goal: MET"; else echo "goal: NOT MET"; fi
else
  echo "goals (tiptop): per connection <= $GOAL_PER_CONN_KB KB, p99 <= $GOAL_P99_MS ms (tiptop skipped)"
fi

(( problems == 0 )) || die "the run was not clean (see above); the figures are not a valid measurement"
if [[ "$REQUIRE_GOALS" == 1 && "$goal_ok" != yes ]]; then
  echo "bench: goal not met (REQUIRE_GOALS=1)" >&2
  exit 2
fi
