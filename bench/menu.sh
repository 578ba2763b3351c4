#!/usr/bin/env bash
# Benchmark of the cached first menu page, GET /api/v1/menu/items (20 items), against a Release
# build of tiptop, side by side with nginx serving the identical response bytes as a static file.
#
#   bench/menu.sh                      # uses build-release/src/tiptop and /usr/sbin/nginx
#   TIPTOP_BIN=/path/to/tiptop NGINX=/path/to/nginx bench/menu.sh
#
# It builds nothing. In a throwaway temp dir it:
#   1. seeds a fresh SQLite database with the demo menu (`tiptop seed`, 79 items);
#   2. starts `tiptop serve` on a free 127.0.0.1 port (NODE_ENV=test, LOG_LEVEL=warn, general API
#      rate limit raised so the benchmark is not answered with 429s);
#   3. fetches the first page twice (the second answer comes from the snapshot cache,
#      meta.cached=true), checks it has 20 items and saves its exact body as www/items.json;
#   4. starts a private nginx (own config, prefix, pid and logs in the temp dir; never the system
#      service) serving that file at the same path on another free 127.0.0.1 port;
#   5. for tiptop, then nginx (one after the other, never concurrently): an unmeasured warm-up,
#      then `wrk -t2 -c64 -d10s --latency -s bench/menu.lua`;
#   6. checks that tiptop still answers with a body of the same length as the nginx file (only
#      meta.timestamp differs), that nginx serves the file byte for byte, and that wrk saw no
#      socket errors and no non-2xx responses on either side;
#   7. prints a summary table with req/s, p99 and the ratio tiptop/nginx against the goals
#      (ratio >= 0.75, tiptop p99 <= 5 ms), stops both servers and fails if tiptop does not exit 0.
#
# Exit status: 0 when the run was clean (whether or not the goals were met; set REQUIRE_GOALS=1 to
# exit 2 when a goal is missed), 1 on any error (bad response, wrk errors, non-2xx, server exit
# code, errors in the server logs).
#
# Knobs (environment): TIPTOP_BIN, NGINX (/usr/sbin/nginx), WRK (wrk), WRK_THREADS (2),
# WRK_CONNECTIONS (64), WRK_DURATION (10s, at most 120s), WARMUP (2s per server; 0 to skip),
# IO_THREADS (passed to tiptop; default = cores), NGINX_WORKERS (default: IO_THREADS, else the
# number of cores, so both servers get the same number of threads/processes), REQUIRE_GOALS (0).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SERVER_NAME=tiptop
CORES="$(nproc 2>/dev/null || echo 2)"
NGINX_WORKERS="${NGINX_WORKERS:-${IO_THREADS:-$CORES}}"
REQUIRE_GOALS="${REQUIRE_GOALS:-0}"

MENU_PATH="/api/v1/menu/items"
EXPECTED_ITEMS=20
GOAL_RATIO="0.75"   # tiptop req/s at least 75 % of nginx's (issue 24; was 0.60)
GOAL_P99_MS="5"     # tiptop p99 at most 5 ms

require_tiptop_bin
if [[ -z "${NGINX:-}" ]]; then
  if [[ -x /usr/sbin/nginx ]]; then NGINX=/usr/sbin/nginx; else NGINX="$(command -v nginx || true)"; fi
fi
[[ -n "$NGINX" && -x "$NGINX" ]] || die "nginx not found (install it, e.g. apt-get install nginx-light, or set NGINX=/path/to/nginx)"
require_wrk
require_curl "used to fetch and check the responses"
if command -v python3 >/dev/null 2>&1; then JSON_TOOL=python3
elif command -v node >/dev/null 2>&1; then JSON_TOOL=node
else die "need python3 or node (free port, JSON checks)"; fi
check_load_knobs
[[ "$NGINX_WORKERS" =~ ^[1-9][0-9]*$ ]] || die "NGINX_WORKERS must be a positive integer (got '$NGINX_WORKERS')"

# Prints "<items> <cached>" for a menu page body (file), e.g. "20 true".
page_shape() {
  if [[ "$JSON_TOOL" == python3 ]]; then
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1], "rb"))
assert d.get("success") is True, "success is not true"
print(len(d["data"]), str(d["meta"]["cached"]).lower())' "$1"
  else
    node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
if (d.success!==true) throw new Error("success is not true");
console.log(d.data.length, String(d.meta.cached))' "$1"
  fi
}

# The body with its meta.timestamp value blanked (the only part that changes between answers).
without_timestamp() { sed -E 's/"timestamp":"[^"]*"/"timestamp":""/g' "$1"; }

make_work_dir tiptop-menu-bench
NGINX_PID=""
NGINX_DIR="$WORK_DIR/nginx"
WWW_DIR="$WORK_DIR/www"
tiptop_env
TIPTOP_ENV+=(
  # The general /api limiter defaults to 100 requests per 15 min per IP and would turn the run
  # into 429s. RATE_LIMIT_MAX is capped at 1,000,000 by the config, so the window is also cut to
  # the minimum (1 s): 1,000,000 requests per second per IP is never reached, while the limiter
  # itself stays on the hot path as in production.
  RATE_LIMIT_MAX=1000000
  RATE_LIMIT_WINDOW_MS=1000
)

# cleanup hooks (see lib.sh): nginx goes first; exit 2 (goals missed) is not a failure.
bench_before_stop() { stop_nginx; }
bench_failure_logs() {
  (( $1 != 2 )) || return 0
  tail_log "tiptop log" "$SERVER_LOG"
  tail_log "nginx error log" "$NGINX_DIR/error.log"
}
install_traps

# run_wrk <label> <url>: warm-up, then the measured run; its output goes to $WORK_DIR/wrk-<label>.txt.
run_wrk() {
  local label="$1" url="$2" out="$WORK_DIR/wrk-$1.txt"
  wrk_warmup "$url" "$label"
  echo "== $label: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency $url"
  wrk_measure menu.lua "$url" | tee "$out"
  grep -q '^RESULT ' "$out" || die "$label: wrk printed no RESULT line"
  echo
}

# field <label> <key>: one value from the RESULT line of that run.
field() { wrk_result_field "$WORK_DIR/wrk-$1.txt" "$2"; }

# ---------------------------------------------------------------------------------------------
# 1. fresh database with the demo menu

seed_out="$(cd "$WORK_DIR" && env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" seed 2>&1)" || {
  echo "$seed_out" >&2; die "tiptop seed failed"; }
seed_line="$(grep -E 'demo menu items added: [0-9]+' <<<"$seed_out" || true)"
[[ -n "$seed_line" ]] || { echo "$seed_out" >&2; die "tiptop seed did not report 'demo menu items added'"; }

# 2. tiptop (cwd is the scratch dir so a ./.env in the repository cannot change the configuration)

PORT="$(free_port)"
TIPTOP_URL="http://127.0.0.1:$PORT$MENU_PATH"
start_tiptop "$PORT"

# 3. the first page: the first answer renders it (meta.cached=false), the second comes from the
#    snapshot cache, which is what every benchmark request gets. Its exact bytes are nginx's file.

mkdir -p "$WWW_DIR"
curl -fsS --max-time 5 -o "$WORK_DIR/first.json" "$TIPTOP_URL" || die "GET $TIPTOP_URL failed"
curl -fsS --max-time 5 -o "$WWW_DIR/items.json" -D "$WORK_DIR/tiptop-headers.txt" "$TIPTOP_URL" ||
  die "GET $TIPTOP_URL failed"
read -r items cached < <(page_shape "$WWW_DIR/items.json") || die "the menu page is not the expected JSON"
(( items == EXPECTED_ITEMS )) || die "expected $EXPECTED_ITEMS items on the first page, got $items"
[[ "$cached" == true ]] || die "the second GET of the first page was not served from cache (meta.cached=$cached)"
BODY_BYTES="$(wc -c <"$WWW_DIR/items.json" | tr -d ' ')"
TIPTOP_HEADER_BYTES="$(wc -c <"$WORK_DIR/tiptop-headers.txt" | tr -d ' ')"

# 4. nginx: private config, prefix, pid and logs under the temp dir; never the system service.
#    The workers drop to 'nobody' when started as root, so they must be able to read the file.

NGINX_PORT="$(free_port)"
NGINX_URL="http://127.0.0.1:$NGINX_PORT$MENU_PATH"
mkdir -p "$NGINX_DIR"
chmod 711 "$WORK_DIR"
chmod 755 "$WWW_DIR"
chmod 644 "$WWW_DIR/items.json"
cat >"$NGINX_DIR/nginx.conf" <<EOF
# generated by bench/menu.sh
worker_processes $NGINX_WORKERS;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    sendfile on;
    # tiptop never closes a keep-alive connection after N requests; nginx does after 1000 by
    # default, which would make wrk reconnect and handicap nginx. Match tiptop here.
    keepalive_requests 1000000;
    client_body_temp_path $NGINX_DIR/client_body;
    proxy_temp_path $NGINX_DIR/proxy;
    fastcgi_temp_path $NGINX_DIR/fastcgi;
    uwsgi_temp_path $NGINX_DIR/uwsgi;
    scgi_temp_path $NGINX_DIR/scgi;

    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = $MENU_PATH {
            default_type application/json;
            alias $WWW_DIR/items.json;
        }
    }
}
EOF
"$NGINX" -q -t -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" ||
  die "nginx rejected the generated configuration ($NGINX_DIR/nginx.conf)"
"$NGINX" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" \
  >"$NGINX_DIR/stdout.log" 2>&1 &
NGINX_PID=$!
wait_for "$NGINX_URL" "$NGINX_PID" nginx
curl -fsS --max-time 5 -o "$WORK_DIR/nginx-body.json" -D "$WORK_DIR/nginx-headers.txt" "$NGINX_URL" ||
  die "GET $NGINX_URL failed"
cmp -s "$WORK_DIR/nginx-body.json" "$WWW_DIR/items.json" || die "nginx does not serve the saved body byte for byte"
NGINX_HEADER_BYTES="$(wc -c <"$WORK_DIR/nginx-headers.txt" | tr -d ' ')"

echo "== GET $MENU_PATH (cached first page): tiptop vs nginx static file"
bin_mtime="$(stat -c %Y "$TIPTOP_BIN" 2>/dev/null || echo 0)"
head_time="$(git -C "$REPO_ROOT" log -1 --format=%ct 2>/dev/null || echo 0)"
echo "binary:      $TIPTOP_BIN (built $(date -u -d "@$bin_mtime" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?'))"
if (( bin_mtime > 0 && head_time > bin_mtime )); then
  echo "             NOTE: the binary is older than the HEAD commit; it may not contain the latest changes"
fi
echo "commit:      $(commit_desc)"
echo "host:        $(uname -sr), $CORES cores, $(cpu_model)"
echo "seed:        $seed_line"
echo "tiptop:      http://127.0.0.1:$PORT  IO_THREADS=${IO_THREADS:-auto}  sqlite  LOG_LEVEL=warn  RATE_LIMIT_MAX=1000000/1s"
echo "nginx:       http://127.0.0.1:$NGINX_PORT  $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')  worker_processes $NGINX_WORKERS  sendfile on  access_log off"
echo "response:    $items items, body $BODY_BYTES bytes; headers tiptop $TIPTOP_HEADER_BYTES bytes, nginx $NGINX_HEADER_BYTES bytes"
echo "load:        $(wrk_version), -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency, warm-up $WARMUP each, one server at a time"
echo

# 5. measure, one server at a time

run_wrk tiptop "$TIPTOP_URL"
run_wrk nginx "$NGINX_URL"

# 6. the answers are still the right ones, and wrk saw no errors

curl -fsS --max-time 5 -o "$WORK_DIR/after.json" "$TIPTOP_URL" || die "GET $TIPTOP_URL failed after the run"
read -r items_after cached_after < <(page_shape "$WORK_DIR/after.json") || die "the menu page after the run is not the expected JSON"
(( items_after == EXPECTED_ITEMS )) || die "after the run: expected $EXPECTED_ITEMS items, got $items_after"
[[ "$cached_after" == true ]] || die "after the run: the first page is not served from cache (meta.cached=$cached_after)"
after_bytes="$(wc -c <"$WORK_DIR/after.json" | tr -d ' ')"
(( after_bytes == BODY_BYTES )) ||
  die "tiptop's body is $after_bytes bytes after the run, nginx's file is $BODY_BYTES bytes"
cmp -s <(without_timestamp "$WORK_DIR/after.json") <(without_timestamp "$WWW_DIR/items.json") ||
  die "tiptop's body differs from nginx's file in more than meta.timestamp"

problems=0
# wrk counts every byte read: bytes/requests must be header+body of the sample answer (within a
# few bytes), i.e. every measured response was the full 20-item page.
for label in tiptop nginx; do
  if [[ "$label" == tiptop ]]; then expect=$(( TIPTOP_HEADER_BYTES + BODY_BYTES )); else expect=$(( NGINX_HEADER_BYTES + BODY_BYTES )); fi
  per="$(awk -v b="$(field "$label" bytes)" -v n="$(field "$label" requests)" 'BEGIN { printf "%.1f", (n > 0 ? b / n : 0) }')"
  if ! awk -v p="$per" -v e="$expect" 'BEGIN { exit !(p - e <= 4 && e - p <= 4) }'; then
    echo "bench: $label: wrk read $per bytes per response on average, expected $expect (headers + body)" >&2
    problems=1
  fi
  printf -v "${label}_per_response" %s "$per"
done
for label in tiptop nginx; do
  for key in connect read write timeout status; do
    n="$(field "$label" "$key")"
    if [[ "$n" != 0 ]]; then
      if [[ "$key" == status ]]; then echo "bench: $label: $n non-2xx/3xx responses" >&2
      else echo "bench: $label: $n socket $key errors" >&2; fi
      problems=1
    fi
  done
  # wrk prints this line only when there were some; belt and braces next to the Lua counter
  if grep -q 'Non-2xx or 3xx responses' "$WORK_DIR/wrk-$label.txt"; then
    echo "bench: $label: $(grep 'Non-2xx or 3xx responses' "$WORK_DIR/wrk-$label.txt" | sed 's/^ *//')" >&2
    problems=1
  fi
done

# 7. summary

t_rps="$(field tiptop rps)"; n_rps="$(field nginx rps)"
t_p99="$(field tiptop p99_us)"; n_p99="$(field nginx p99_us)"
t_p50="$(field tiptop p50_us)"; n_p50="$(field nginx p50_us)"
t_max="$(field tiptop max_us)"; n_max="$(field nginx max_us)"
ratio="$(awk -v a="$t_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
ratio_ok="$(awk -v r="$ratio" -v g="$GOAL_RATIO" 'BEGIN { print (r >= g ? "yes" : "no") }')"
p99_ok="$(awk -v p="$t_p99" -v g="$GOAL_P99_MS" 'BEGIN { print (p / 1000 <= g ? "yes" : "no") }')"

echo "== summary: GET $MENU_PATH, $items items, $BODY_BYTES-byte body, -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION"
printf '%-8s %12s %10s %10s %10s\n' server 'req/s' p50 p99 max
printf '%-8s %12.0f %8.2fms %8.2fms %8.2fms\n' tiptop "$t_rps" "$(awk -v v="$t_p50" 'BEGIN{print v/1000}')" \
  "$(awk -v v="$t_p99" 'BEGIN{print v/1000}')" "$(awk -v v="$t_max" 'BEGIN{print v/1000}')"
printf '%-8s %12.0f %8.2fms %8.2fms %8.2fms\n' nginx "$n_rps" "$(awk -v v="$n_p50" 'BEGIN{print v/1000}')" \
  "$(awk -v v="$n_p99" 'BEGIN{print v/1000}')" "$(awk -v v="$n_max" 'BEGIN{print v/1000}')"
echo "bytes/response (wrk): tiptop $tiptop_per_response (headers $TIPTOP_HEADER_BYTES + body $BODY_BYTES), nginx $nginx_per_response (headers $NGINX_HEADER_BYTES + body $BODY_BYTES)"
echo "ratio tiptop/nginx req/s: $ratio  (goal >= $GOAL_RATIO: $ratio_ok)"
echo "tiptop p99: $(awk -v v="$t_p99" 'BEGIN{printf "%.2f", v/1000}') ms  (goal <= $GOAL_P99_MS ms: $p99_ok)"
if [[ "$ratio_ok" == yes && "$p99_ok" == yes ]]; then echo "goals: MET"; else echo "goals: NOT MET"; fi
echo

echo "== stopping nginx and tiptop (SIGTERM)"
nginx_rc=0
stop_nginx || nginx_rc=$?
(( nginx_rc == 0 )) || { echo "bench: nginx exited with code $nginx_rc" >&2; problems=1; }
stop_tiptop_or_die
echo "tiptop exited with code 0, nginx with code $nginx_rc"

if report_tiptop_log_errors tiptop; then
  problems=1
fi
if grep -qE '\[(error|crit|alert|emerg)\]' "$NGINX_DIR/error.log" 2>/dev/null; then
  echo "bench: nginx logged errors during the run:" >&2
  grep -E '\[(error|crit|alert|emerg)\]' "$NGINX_DIR/error.log" | tail -n 10 >&2
  problems=1
fi
(( problems == 0 )) || die "the run was not clean (see above); the figures are not a valid measurement"
if [[ "$REQUIRE_GOALS" == 1 && ! ( "$ratio_ok" == yes && "$p99_ok" == yes ) ]]; then
  echo "bench: goals not met (REQUIRE_GOALS=1)" >&2
  exit 2
fi
