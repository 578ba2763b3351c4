#!/usr/bin/env bash
# The production shape on one machine: two `tiptop serve` nodes (Release build) on PostgreSQL +
# Redis behind nginx with deploy/nginx.conf, measured through nginx — the cached menu page
# (GET /api/v1/menu/items) and order placement (POST /api/v1/orders, 3 items, COD) — to set beside
# the single-node SQLite figures of bench/menu.sh and bench/orders.sh.
#
#   bench/multinode.sh                 # uses build-release/src/tiptop
#   WRK_DURATION=30s bench/multinode.sh
#
# In a throwaway temp dir, loopback only, it:
#   1. starts PostgreSQL (scripts/test-pg.sh, with fsync ON: every order durable when its 201 goes
#      out, as on SQLite synchronous=FULL) and Redis (scripts/test-redis.sh);
#   2. seeds the demo menu and a customer with the tiptop CLI;
#   3. starts two nodes with REDIS_URL (the rate limiter then counts in Redis on every request) and
#      nginx with deploy/nginx.conf (upstreams, listen, pid and temp paths substituted);
#   4. logs in and builds the order body through nginx;
#   5. runs wrk (warm-up, then measured) with bench/menu.lua, then with bench/orders.lua;
#   6. checks that the orders in PostgreSQL equal the 201s (plus at most one in flight per
#      connection), that both nodes served requests (their /metrics), and that no node logged errors.
#
# Knobs: TIPTOP_BIN, WRK, WRK_THREADS (2), WRK_CONNECTIONS (64 menu; orders use ORDER_CONNECTIONS,
# 32), WRK_DURATION (10s), WARMUP (2s), IO_THREADS, DB_POOL_SIZE.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ORDER_CONNECTIONS="${ORDER_CONNECTIONS:-32}"
CUSTOMER_EMAIL="bench@tiptop.test" CUSTOMER_PHONE="9800001234" CUSTOMER_PASSWORD="bench-password-2024"

require_tiptop_bin
require_wrk
require_curl "used to log in and read the menu through nginx"
command -v python3 >/dev/null 2>&1 || die "need python3"
JSON_TOOL=python3
[[ -x /usr/sbin/nginx ]] || die "need nginx (apt-get install nginx)"
command -v redis-server >/dev/null 2>&1 || die "need redis-server (apt-get install redis-server)"
command -v psql >/dev/null 2>&1 || die "need psql (apt-get install postgresql)"
check_load_knobs

make_work_dir tiptop-multinode-bench
chmod 755 "$WORK_DIR"  # PostgreSQL (as postgres) and nginx's workers reach into it when run as root
PG_PORT="$(free_port)" REDIS_PORT="$(free_port)" NGINX_PORT="$(free_port)"
NODE_PORTS=("$(free_port)" "$(free_port)")
NODE_PIDS=()
NGINX_PID=""

bench_before_stop() {
  [[ -z "$NGINX_PID" ]] || { kill -QUIT "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true; }
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" tiptop || true; done
  "$REPO_ROOT/scripts/test-redis.sh" stop "$WORK_DIR/redis" "$REDIS_PORT" >/dev/null 2>&1 || true
  "$REPO_ROOT/scripts/test-pg.sh" stop "$WORK_DIR/pg" "$PG_PORT" >/dev/null 2>&1 || true
}
bench_failure_logs() {
  for i in 0 1; do tail_log "node $i log" "$WORK_DIR/node$i.log"; done
  tail_log "nginx error log" "$WORK_DIR/nginx/error.log"
}
install_traps

# 1. PostgreSQL and Redis
TIPTOP_PG_FSYNC=on "$REPO_ROOT/scripts/test-pg.sh" start "$WORK_DIR/pg" "$PG_PORT"
"$REPO_ROOT/scripts/test-redis.sh" start "$WORK_DIR/redis" "$REDIS_PORT"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE tiptop" postgres
tiptop_env
for i in "${!TIPTOP_ENV[@]}"; do
  [[ "${TIPTOP_ENV[$i]}" == DATABASE_URL=* ]] && TIPTOP_ENV[i]="DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/tiptop"
done
TIPTOP_ENV+=(REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" TRUST_PROXY=127.0.0.1 RATE_LIMIT_MAX=1000000 RATE_LIMIT_WINDOW_MS=1000)
[[ -z "${DB_POOL_SIZE:-}" ]] || TIPTOP_ENV+=(DB_POOL_SIZE="$DB_POOL_SIZE")
tiptop_cmd() { ( cd "$WORK_DIR" && exec env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" "$@" ); }

# 2. demo menu and a customer
seed_line="$(tiptop_cmd seed 2>&1 | grep -E 'demo menu items added: [0-9]+')" || die "tiptop seed failed"
printf '%s\n' "$CUSTOMER_PASSWORD" | tiptop_cmd create-user --role customer --email "$CUSTOMER_EMAIL" \
  --phone "$CUSTOMER_PHONE" --first-name Bench --password-stdin >/dev/null || die "tiptop create-user failed"

# 3. two nodes and nginx
for i in 0 1; do
  ( cd "$WORK_DIR" && exec env "${TIPTOP_ENV[@]}" PORT="${NODE_PORTS[$i]}" "$TIPTOP_BIN" serve ) >"$WORK_DIR/node$i.log" 2>&1 &
  NODE_PIDS+=($!)
  wait_for "http://127.0.0.1:${NODE_PORTS[$i]}/ready" "${NODE_PIDS[$i]}" "node $i"
done
mkdir -p "$WORK_DIR/nginx"
sed -e "s/server api1:5000/server 127.0.0.1:${NODE_PORTS[0]}/" -e "s/server api2:5000/server 127.0.0.1:${NODE_PORTS[1]}/" \
    -e "s/listen 80;/listen 127.0.0.1:$NGINX_PORT;/" -e "s|pid /tmp/nginx.pid;|pid $WORK_DIR/nginx/nginx.pid;|" \
    -e "s|error_log /dev/stderr warn;|error_log $WORK_DIR/nginx/error.log warn;|" \
    -e "s|^http {|http {\n  client_body_temp_path $WORK_DIR/nginx/body;\n  proxy_temp_path $WORK_DIR/nginx/proxy;\n  fastcgi_temp_path $WORK_DIR/nginx/fastcgi;\n  uwsgi_temp_path $WORK_DIR/nginx/uwsgi;\n  scgi_temp_path $WORK_DIR/nginx/scgi;|" \
    "$REPO_ROOT/deploy/nginx.conf" >"$WORK_DIR/nginx/nginx.conf"
/usr/sbin/nginx -p "$WORK_DIR/nginx" -c "$WORK_DIR/nginx/nginx.conf" -e "$WORK_DIR/nginx/error.log" -g 'daemon off;' &
NGINX_PID=$!
BASE_URL="http://127.0.0.1:$NGINX_PORT"
wait_for "$BASE_URL/health" "$NGINX_PID" nginx

# 4. token and order body, through nginx
printf '{"email":"%s","password":"%s"}' "$CUSTOMER_EMAIL" "$CUSTOMER_PASSWORD" >"$WORK_DIR/login.json"
curl -fsS --max-time 10 -o "$WORK_DIR/login-answer.json" -H 'Content-Type: application/json' \
  --data-binary @"$WORK_DIR/login.json" "$BASE_URL/api/v1/auth/login" || die "login through nginx failed"
TOKEN="$(json_get "$WORK_DIR/login-answer.json" data.token)"
curl -fsS --max-time 10 -o "$WORK_DIR/menu.json" "$BASE_URL/api/v1/menu/items?limit=100" || die "menu through nginx failed"
ITEMS_DESC="$(order_body "$WORK_DIR/menu.json" "$WORK_DIR/order.json")"

served() {  # served <node index>: requests the node has answered, from its /metrics
  curl -fsS --max-time 5 "http://127.0.0.1:${NODE_PORTS[$1]}/metrics" |
    awk '/^tiptop_http_requests_total\{/ { n += $NF } END { printf "%d", n }'
}

echo "== two nodes on PostgreSQL + Redis behind nginx (deploy/nginx.conf)"
echo "commit:      $(commit_desc)"
echo "host:        $(uname -sr), $(nproc) cores, $(cpu_model) — wrk, nginx, both nodes, PostgreSQL and Redis share them"
echo "binary:      $TIPTOP_BIN"
echo "setup:       $seed_line; nodes on :${NODE_PORTS[0]} :${NODE_PORTS[1]} IO_THREADS=${IO_THREADS:-auto}; nginx :$NGINX_PORT; PostgreSQL fsync=on; rate limiter in Redis"
echo "order:       $ITEMS_DESC"
echo "load:        $(wrk_version), -t$WRK_THREADS, warm-up $WARMUP, then $WRK_DURATION measured"
echo

# 5a. the cached menu page
MENU_URL="$BASE_URL/api/v1/menu/items"
wrk_warmup "$MENU_URL" "menu"
echo "== GET /api/v1/menu/items through nginx: wrk -c$WRK_CONNECTIONS"
before=("$(served 0)" "$(served 1)")
wrk_measure menu.lua "$MENU_URL" | tee "$WORK_DIR/wrk-menu.txt"
after=("$(served 0)" "$(served 1)")
echo "requests per node: $(( after[0] - before[0] )) / $(( after[1] - before[1] ))"
echo

# 5b. order placement
ORDERS_URL="$BASE_URL/api/v1/orders"
run_orders() {  # run_orders <label> <duration>
  BENCH_ORDER_BODY="$(cat "$WORK_DIR/order.json")" BENCH_TOKEN="$TOKEN" BENCH_KEY_PREFIX="$1" \
    "$WRK" -t"$WRK_THREADS" -c"$ORDER_CONNECTIONS" -d"$2" --latency --timeout 5s -s "$BENCH_DIR/orders.lua" "$ORDERS_URL" \
    >"$WORK_DIR/wrk-$1.txt" 2>&1 || { cat "$WORK_DIR/wrk-$1.txt" >&2; die "$1: wrk failed"; }
}
created=0
if (( $(to_seconds "$WARMUP") > 0 )); then
  run_orders orders-warmup "$WARMUP"
  created=$(( created + $(wrk_result_field "$WORK_DIR/wrk-orders-warmup.txt" created) ))
fi
echo "== POST /api/v1/orders through nginx: wrk -c$ORDER_CONNECTIONS, unique Idempotency-Key per request"
before=("$(served 0)" "$(served 1)")
run_orders orders "$WRK_DURATION"
after=("$(served 0)" "$(served 1)")
cat "$WORK_DIR/wrk-orders.txt"
echo "requests per node: $(( after[0] - before[0] )) / $(( after[1] - before[1] ))"
created=$(( created + $(wrk_result_field "$WORK_DIR/wrk-orders.txt" created) ))
echo

# 6. checks
problems=0
sleep 0.5
stored="$(psql -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT count(*) FROM orders" tiptop)"
in_flight=$(( stored - created ))
if (( in_flight < 0 || in_flight > 2 * ORDER_CONNECTIONS )); then
  echo "bench: $stored orders stored, $created answered 201" >&2; problems=1
fi
for f in wrk-menu wrk-orders; do
  for key in connect read write timeout status; do
    n="$(wrk_result_field "$WORK_DIR/$f.txt" "$key")"
    [[ -z "$n" || "$n" == 0 ]] || { echo "bench: $f: $n $key errors" >&2; problems=1; }
  done
done
[[ "$(wrk_result_field "$WORK_DIR/wrk-orders.txt" non201)" == 0 ]] || { echo "bench: some orders were not 201" >&2; problems=1; }
(( after[0] > before[0] && after[1] > before[1] )) || { echo "bench: one node served nothing" >&2; problems=1; }
for i in 0 1; do
  if grep -q '"level":"\(error\|critical\)"' "$WORK_DIR/node$i.log"; then
    echo "bench: node $i logged errors:" >&2; grep '"level":"\(error\|critical\)"' "$WORK_DIR/node$i.log" | tail -n 5 >&2; problems=1
  fi
done

ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
m() { wrk_result_field "$WORK_DIR/wrk-menu.txt" "$1"; }
o() { wrk_result_field "$WORK_DIR/wrk-orders.txt" "$1"; }
echo "== summary (two nodes, PostgreSQL + Redis, through nginx)"
printf 'menu page:  %.0f req/s   p50 %s ms  p90 %s ms  p99 %s ms  max %s ms\n' "$(m rps)" "$(ms "$(m p50_us)")" "$(ms "$(m p90_us)")" "$(ms "$(m p99_us)")" "$(ms "$(m max_us)")"
printf 'orders:     %.0f orders/s  p50 %s ms  p90 %s ms  p99 %s ms  max %s ms\n' "$(o orders_per_s)" "$(ms "$(o p50_us)")" "$(ms "$(o p90_us)")" "$(ms "$(o p99_us)")" "$(ms "$(o max_us)")"
echo "stored:     $stored orders in PostgreSQL = $created answered 201 + $in_flight in flight when wrk stopped"
(( problems == 0 )) || die "the run was not clean (see above); the figures are not a valid measurement"
