#!/usr/bin/env bash
# Order-placement benchmark: POST /api/v1/orders (3 items, cash on delivery) against a Release build
# of tiptop on SQLite with synchronous=FULL (every order durable when its 201 is sent).
#
#   bench/orders.sh                    # uses build-release/src/tiptop
#   TIPTOP_BIN=/path/to/tiptop WRK_DURATION=30s bench/orders.sh
#
# It builds nothing. In a throwaway temp dir, loopback only, it:
#   1. seeds a fresh SQLite database (db.sqlite) with the demo menu (`tiptop seed`);
#   2. creates a customer with `tiptop create-user --role customer ... --password-stdin`;
#   3. starts `tiptop serve` on a free 127.0.0.1 port with SQLITE_SYNCHRONOUS=FULL, NODE_ENV=test,
#      LOG_LEVEL=warn and the general API rate limit raised (RATE_LIMIT_MAX=1000000 per 1 s window;
#      the default 100 per 15 min would answer the benchmark with 429s);
#   4. logs the customer in (POST /api/v1/auth/login, data.token), takes the first 3 available items
#      of GET /api/v1/menu/items?limit=100 and writes the order body, choosing the first option of
#      every required customization group;
#   5. places one order with curl (must be 201) and sends it again with the same Idempotency-Key
#      (must be replayed: 201, "idempotentReplay":true, same order number, no second order);
#   6. runs an unmeasured warm-up (WARMUP, 2 s; its orders stay in the database), then
#      `wrk -t2 -c32 -d10s --latency -s bench/orders.lua`: every request carries the bearer token
#      and its own Idempotency-Key; the script counts 201s and everything else;
#   7. asks the API for the customer's order count, stops the server with SIGTERM (must exit 0) and
#      counts the orders in the database with the sqlite3 CLI (if installed): it must equal the
#      201s of curl + warm-up + measured run, plus at most one request per connection and wrk run
#      that was in flight when wrk stopped (the server completes it, wrk no longer reads the
#      answer); every order must have its completed idempotency record and none may be left
#      in flight;
#   8. prints orders/s (201 responses per second), p50/p90/p99/max and whether the goal
#      (>= 4,000 orders/s with p99 <= 25 ms, issue 24; it was 2,000 and 50 ms) is met.
#
# Exit status: 0 when the run was clean (whether or not the goal was met; REQUIRE_GOALS=1 makes a
# missed goal exit 2), 1 on any error (a non-201 answer, socket errors or timeouts, order count
# mismatch, server exit code, errors in the server log).
#
# Knobs (environment): TIPTOP_BIN, WRK (wrk), WRK_THREADS (2), WRK_CONNECTIONS (32), WRK_DURATION
# (10s, at most 120s), WARMUP (2s; 0 to skip), IO_THREADS and DB_POOL_SIZE (passed to the server),
# SQLITE3 (sqlite3), REQUIRE_GOALS (0).
set -euo pipefail

WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"   # before lib.sh, whose default is 64

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SERVER_NAME=tiptop
CORES="$(nproc 2>/dev/null || echo '?')"
REQUIRE_GOALS="${REQUIRE_GOALS:-0}"
SQLITE3="${SQLITE3:-sqlite3}"

ORDERS_PATH="/api/v1/orders"
GOAL_ORDERS_PER_S=4000
GOAL_P99_MS=25
CUSTOMER_EMAIL="bench@tiptop.test"
CUSTOMER_PHONE="9800001234"
CUSTOMER_PASSWORD="bench-password-2024"

require_tiptop_bin
require_wrk
require_curl "used to log in, read the menu and check orders"
if command -v python3 >/dev/null 2>&1; then JSON_TOOL=python3
elif command -v node >/dev/null 2>&1; then JSON_TOOL=node
else die "need python3 or node (free port, JSON handling)"; fi
HAVE_SQLITE3=0
command -v "$SQLITE3" >/dev/null 2>&1 && HAVE_SQLITE3=1
check_load_knobs

# ---------------------------------------------------------------------------------------------
# Scratch dir and environment

make_work_dir tiptop-orders-bench
DB_FILE="$WORK_DIR/db.sqlite"
tiptop_env
for i in "${!TIPTOP_ENV[@]}"; do
  [[ "${TIPTOP_ENV[$i]}" == DATABASE_URL=* ]] && TIPTOP_ENV[i]="DATABASE_URL=sqlite://$DB_FILE"
done
TIPTOP_ENV+=(
  SQLITE_SYNCHRONOUS=FULL
  # See bench/menu.sh: the general limiter's default (100 per 15 min per IP) would answer with 429s;
  # RATE_LIMIT_MAX is capped at 1,000,000, so the window is cut to 1 s. The limiter still runs.
  RATE_LIMIT_MAX=1000000
  RATE_LIMIT_WINDOW_MS=1000
)
# cleanup hook (see lib.sh): exit 2 (goal missed with REQUIRE_GOALS=1) is not a failure
bench_failure_logs() { (( $1 != 2 )) || return 0; tail_log "tiptop log" "$SERVER_LOG"; }
install_traps

# tiptop_cmd <args...>: a tiptop CLI command in the scratch dir with TIPTOP_ENV.
tiptop_cmd() { ( cd "$WORK_DIR" && exec env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" "$@" ); }

# run_wrk <label> <duration> <key prefix>: wrk with bench/orders.lua; output to $WORK_DIR/wrk-<label>.txt.
run_wrk() {
  BENCH_ORDER_BODY="$ORDER_BODY" BENCH_TOKEN="$TOKEN" BENCH_KEY_PREFIX="$3" \
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2" --latency --timeout 5s \
    -s "$BENCH_DIR/orders.lua" "$ORDERS_URL" >"$WORK_DIR/wrk-$1.txt" 2>&1 ||
    { cat "$WORK_DIR/wrk-$1.txt" >&2; die "$1: wrk failed"; }
  grep -q '^RESULT ' "$WORK_DIR/wrk-$1.txt" || { cat "$WORK_DIR/wrk-$1.txt" >&2; die "$1: wrk printed no RESULT line"; }
}

# field <label> <key>: one value from the RESULT line of that run (0 for a skipped warm-up).
field() {
  [[ -f "$WORK_DIR/wrk-$1.txt" ]] || { echo 0; return; }
  wrk_result_field "$WORK_DIR/wrk-$1.txt" "$2"
}

ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }

# ---------------------------------------------------------------------------------------------
# 1-2. database with the demo menu and one customer

seed_out="$(tiptop_cmd seed 2>&1)" || { echo "$seed_out" >&2; die "tiptop seed failed"; }
seed_line="$(grep -E 'demo menu items added: [0-9]+' <<<"$seed_out" || true)"
[[ -n "$seed_line" ]] || { echo "$seed_out" >&2; die "tiptop seed did not report 'demo menu items added'"; }

user_out="$(printf '%s\n' "$CUSTOMER_PASSWORD" | tiptop_cmd create-user --role customer \
  --email "$CUSTOMER_EMAIL" --phone "$CUSTOMER_PHONE" --first-name Bench --last-name Customer --password-stdin 2>&1)" ||
  { echo "$user_out" >&2; die "tiptop create-user failed"; }

# 3. the server

PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
ORDERS_URL="$BASE_URL$ORDERS_PATH"
start_tiptop "$PORT"

# 4. token, menu, order body

printf '{"email":"%s","password":"%s"}' "$CUSTOMER_EMAIL" "$CUSTOMER_PASSWORD" >"$WORK_DIR/login.json"
code="$(curl -sS --max-time 10 -o "$WORK_DIR/login-answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @"$WORK_DIR/login.json" "$BASE_URL/api/v1/auth/login")" || die "POST /api/v1/auth/login failed"
[[ "$code" == 200 ]] || { cat "$WORK_DIR/login-answer.json" >&2; echo >&2; die "login answered $code"; }
TOKEN="$(json_get "$WORK_DIR/login-answer.json" data.token)" || die "no data.token in the login answer"
[[ -n "$TOKEN" ]] || die "empty data.token in the login answer"
AUTH=(-H "Authorization: Bearer $TOKEN")

curl -fsS --max-time 10 -o "$WORK_DIR/menu.json" "$BASE_URL/api/v1/menu/items?limit=100" ||
  die "GET /api/v1/menu/items?limit=100 failed"
ITEMS_DESC="$(order_body "$WORK_DIR/menu.json" "$WORK_DIR/order.json")" || die "could not build the order body"
ORDER_BODY="$(cat "$WORK_DIR/order.json")"

# 5. one order by hand, then the same key again (must be a replay, not a second order)

# post_order <key> <out file>: prints the HTTP status.
post_order() {
  curl -sS --max-time 10 -o "$2" -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' \
    -H "Idempotency-Key: $1" --data-binary @"$WORK_DIR/order.json" "$ORDERS_URL"
}
bin_mtime="$(stat -c %Y "$TIPTOP_BIN" 2>/dev/null || echo 0)"
bin_built="$(date -u -d "@$bin_mtime" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?')"
preflight_key="bench-preflight-$$-$RANDOM"
code="$(post_order "$preflight_key" "$WORK_DIR/first-order.json")" || die "POST $ORDERS_PATH failed"
if [[ "$code" == 404 ]]; then
  cat "$WORK_DIR/first-order.json" >&2; echo >&2
  die "POST $ORDERS_PATH answered 404: $TIPTOP_BIN (built $bin_built) has no orders API; rebuild it from a commit that has orders"
fi
[[ "$code" == 201 ]] || { cat "$WORK_DIR/first-order.json" >&2; echo >&2; die "the first order answered $code, not 201"; }
FIRST_NUMBER="$(json_get "$WORK_DIR/first-order.json" data.orderNumber)" || die "no data.orderNumber in the first order"
FIRST_AMOUNT="$(json_get "$WORK_DIR/first-order.json" data.pricing.finalAmount 2>/dev/null || echo '?')"
code="$(post_order "$preflight_key" "$WORK_DIR/replay.json")" || die "POST $ORDERS_PATH (replay) failed"
[[ "$code" == 201 ]] || { cat "$WORK_DIR/replay.json" >&2; echo >&2; die "the replayed order answered $code, not 201"; }
[[ "$(json_get "$WORK_DIR/replay.json" meta.idempotentReplay 2>/dev/null)" == true ]] ||
  die "the second POST with the same Idempotency-Key was not marked as a replay (meta.idempotentReplay)"
[[ "$(json_get "$WORK_DIR/replay.json" data.orderNumber)" == "$FIRST_NUMBER" ]] ||
  die "the replay returned another order number than $FIRST_NUMBER"
PREFLIGHT_ORDERS=1

echo "== POST $ORDERS_PATH (3 items, COD, SQLite synchronous=FULL)"
head_time="$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)"
echo "binary:      $TIPTOP_BIN (built $bin_built)"
if (( bin_mtime > 0 && head_time > bin_mtime )); then
  echo "             NOTE: the binary is older than the HEAD commit; it may not contain the latest changes"
fi
echo "commit:      $(commit_desc)"
echo "host:        $(uname -sr), $CORES cores, $(cpu_model)"
echo "seed:        $seed_line; customer $CUSTOMER_EMAIL"
echo "tiptop:      $BASE_URL  IO_THREADS=${IO_THREADS:-auto}  DB_POOL_SIZE=${DB_POOL_SIZE:-default}  sqlite synchronous=FULL  LOG_LEVEL=warn  RATE_LIMIT_MAX=1000000/1s"
echo "order:       $ITEMS_DESC"
echo "             body $(wc -c <"$WORK_DIR/order.json" | tr -d ' ') bytes, COD, inline address; first order $FIRST_NUMBER (final amount $FIRST_AMOUNT), replay of its key OK"
echo "load:        $(wrk_version), -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency, unique Idempotency-Key per request, warm-up $WARMUP"
echo

# 6. warm-up (unmeasured; its orders count in the database), then the measured run

if (( $(to_seconds "$WARMUP") > 0 )); then
  echo "== warm-up ($WARMUP, not measured)"
  run_wrk warmup "$WARMUP" "w"
  grep -E '^(Summary|Non-201|First non-201|Errors):' "$WORK_DIR/wrk-warmup.txt" | sed 's/^/   /'
  echo
fi
echo "== wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency -s bench/orders.lua $ORDERS_URL"
run_wrk measured "$WRK_DURATION" "m"
cat "$WORK_DIR/wrk-measured.txt"
echo

# 7. counts: API (server still up), then the database itself after a clean stop

problems=0
sleep 0.5   # let requests wrk abandoned at the end finish their transactions
API_TOTAL=""
if curl -fsS --max-time 10 -o "$WORK_DIR/my-orders.json" "${AUTH[@]}" "$BASE_URL$ORDERS_PATH?limit=1"; then
  API_TOTAL="$(json_get "$WORK_DIR/my-orders.json" meta.pagination.total 2>/dev/null || true)"
fi
[[ "$API_TOTAL" =~ ^[0-9]+$ ]] || { echo "bench: GET $ORDERS_PATH did not give meta.pagination.total" >&2; problems=1; API_TOTAL=""; }

echo "== stopping tiptop (SIGTERM)"
stop_tiptop_or_die
echo "tiptop exited with code 0"
echo

DB_ORDERS="" DB_KEYS_DONE="" DB_KEYS_IN_FLIGHT=""
if (( HAVE_SQLITE3 )); then
  IFS='|' read -r DB_ORDERS DB_KEYS_DONE DB_KEYS_IN_FLIGHT < <("$SQLITE3" -batch "$DB_FILE" \
    "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM idempotency_keys WHERE state = 'done'), (SELECT count(*) FROM idempotency_keys WHERE state = 'in_flight');") ||
    die "sqlite3 could not read $DB_FILE"
  COUNT_SOURCE="database (sqlite3, after the server stopped)"
  ORDERS_FOUND="$DB_ORDERS"
  if [[ -n "$API_TOTAL" && "$API_TOTAL" != "$DB_ORDERS" ]]; then
    echo "bench: the API counted $API_TOTAL orders 0.5 s after wrk, the database holds $DB_ORDERS after the stop" >&2
    problems=1
  fi
else
  COUNT_SOURCE="API (GET $ORDERS_PATH meta.pagination.total; sqlite3 not installed)"
  ORDERS_FOUND="${API_TOTAL:-0}"
fi

W_CREATED="$(field warmup created)"; M_CREATED="$(field measured created)"
ANSWERED=$(( PREFLIGHT_ORDERS + W_CREATED + M_CREATED ))
RUNS=1; [[ -f "$WORK_DIR/wrk-warmup.txt" ]] && RUNS=2
MAX_IN_FLIGHT=$(( RUNS * WRK_CONNECTIONS ))
IN_FLIGHT=$(( ORDERS_FOUND - ANSWERED ))
if (( IN_FLIGHT < 0 )); then
  echo "bench: only $ORDERS_FOUND orders stored but $ANSWERED answered 201 (replays or lost orders)" >&2
  problems=1
elif (( IN_FLIGHT > MAX_IN_FLIGHT )); then
  echo "bench: $ORDERS_FOUND orders stored, $ANSWERED answered 201: $IN_FLIGHT more than answered, at most $MAX_IN_FLIGHT can have been in flight" >&2
  problems=1
fi
M_REQUESTS="$(field measured requests)"
(( ORDERS_FOUND >= M_REQUESTS )) || { echo "bench: fewer orders stored ($ORDERS_FOUND) than measured requests ($M_REQUESTS)" >&2; problems=1; }
if [[ -n "$DB_ORDERS" ]]; then
  [[ "$DB_KEYS_DONE" == "$DB_ORDERS" ]] ||
    { echo "bench: $DB_ORDERS orders but $DB_KEYS_DONE completed idempotency records" >&2; problems=1; }
  [[ "$DB_KEYS_IN_FLIGHT" == 0 ]] ||
    { echo "bench: $DB_KEYS_IN_FLIGHT idempotency records left in flight" >&2; problems=1; }
fi

for label in warmup measured; do
  [[ -f "$WORK_DIR/wrk-$label.txt" ]] || continue
  for key in non201 s5xx connect read write timeout; do
    n="$(field "$label" "$key")"
    [[ "$n" == 0 ]] && continue
    case "$key" in
      non201) echo "bench: $label: $n responses were not 201 ($(grep '^Non-201:' "$WORK_DIR/wrk-$label.txt" | cut -d' ' -f3-))" >&2
              grep '^First non-201:' "$WORK_DIR/wrk-$label.txt" | sed 's/^/  /' >&2 || true ;;
      s5xx)   echo "bench: $label: $n 5xx responses" >&2 ;;
      *)      echo "bench: $label: $n socket $key errors" >&2 ;;
    esac
    problems=1
  done
done
if report_tiptop_log_errors tiptop; then problems=1; fi

# 8. summary

M_SECONDS="$(field measured seconds)"
OPS="$(field measured orders_per_s)"
P50="$(field measured p50_us)"; P90="$(field measured p90_us)"; P99="$(field measured p99_us)"; MAX="$(field measured max_us)"
M_NON201="$(field measured non201)"
ops_ok="$(awk -v v="$OPS" -v g="$GOAL_ORDERS_PER_S" 'BEGIN { print (v >= g ? "yes" : "no") }')"
p99_ok="$(awk -v v="$P99" -v g="$GOAL_P99_MS" 'BEGIN { print (v / 1000 <= g ? "yes" : "no") }')"

echo "== summary: POST $ORDERS_PATH, 3 items, COD, SQLite synchronous=FULL, -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION"
printf 'orders/s:     %.0f  (%d orders placed with 201 in %.2f s; %d requests, %d non-201)\n' \
  "$OPS" "$M_CREATED" "$M_SECONDS" "$M_REQUESTS" "$M_NON201"
echo "latency:      p50 $(ms "$P50") ms  p90 $(ms "$P90") ms  p99 $(ms "$P99") ms  max $(ms "$MAX") ms"
echo "orders:       $ORDERS_FOUND in the $COUNT_SOURCE"
echo "              = $ANSWERED answered 201 (curl $PREFLIGHT_ORDERS + warm-up $W_CREATED + measured $M_CREATED) + $IN_FLIGHT in flight when wrk stopped (at most $MAX_IN_FLIGHT)"
[[ -z "$DB_ORDERS" ]] || echo "              idempotency records: $DB_KEYS_DONE done, $DB_KEYS_IN_FLIGHT in flight; API count before the stop: ${API_TOTAL:-?}"
echo "orders/s goal >= $GOAL_ORDERS_PER_S: $ops_ok; p99 goal <= $GOAL_P99_MS ms: $p99_ok"
if [[ "$ops_ok" == yes && "$p99_ok" == yes ]]; then echo "goal: MET"; else echo "goal: NOT MET"; fi

(( problems == 0 )) || die "the run was not clean (see above); the figures are not a valid measurement"
if [[ "$REQUIRE_GOALS" == 1 && ! ( "$ops_ok" == yes && "$p99_ok" == yes ) ]]; then
  echo "bench: goal not met (REQUIRE_GOALS=1)" >&2
  exit 2
fi
