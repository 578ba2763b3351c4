#!/usr/bin/env bash
# CSV export benchmark: GET /api/v1/admin/analytics/export over a year of orders (100,000 by
# default), against a Release build on SQLite. It checks that the export streams — every order
# arrives, and the server's memory does not grow with the size of the export — and prints the time.
#
#   bench/export.sh                      # uses build-release/src/tiptop
#   ORDERS=200000 bench/export.sh
#
# It builds nothing. In a throwaway temp dir, loopback only, it:
#   1. migrates a fresh SQLite database and writes ORDERS orders spread over the last 365 days
#      (python3's sqlite3 module; one customer, 1-3 lines each, mixed statuses and payment methods);
#   2. creates an admin with `tiptop create-admin --password-stdin`, starts `tiptop serve` and waits
#      until the analytics job has rolled up every finished day (so it does not run during the export);
#   3. reads the server's resident memory (VmRSS) and peak (VmHWM) from /proc, downloads the export of
#      the whole year with curl, and reads them again;
#   4. checks the CSV has ORDERS rows plus the header, and prints rows, size, time, rows/s and memory.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

ORDERS="${ORDERS:-100000}"
require_tiptop_bin
require_curl "to download the export"
command -v python3 >/dev/null || die "python3 not found (it writes the generated orders)"
make_work_dir tiptop-bench-export
tiptop_env
TIPTOP_ENV+=(RATE_LIMIT_MAX=1000000 ANALYTICS_ROLLUP_INTERVAL_SECONDS=3600)
install_traps

env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" migrate >/dev/null
echo "bench: writing $ORDERS orders over 365 days ..."
python3 - "$WORK_DIR/tiptop.db" "$ORDERS" <<'PY'
import json, random, sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
now = int(time.time() * 1000)
c = sqlite3.connect(db)
cid = "c" * 24
c.execute("INSERT INTO users (id, role, email, phone, password_hash, first_name, last_name, is_active, created_at, updated_at) "
          "VALUES (?, 'customer', 'bench@example.test', '9000000000', 'x', 'Bench', 'Customer', 1, ?, ?)", (cid, now, now))
dishes = [("a" * 23 + str(i), name, price) for i, (name, price) in
          enumerate([("Chicken Biryani", 32000), ("Butter Naan", 5000), ("Paneer Tikka", 24000), ("Veg Fried Rice", 18000)])]
statuses = ["delivered"] * 7 + ["cancelled", "pending", "ready"]
rows = []
for i in range(n):
    at = now - random.randrange(365 * 86400 * 1000)
    lines, total = [], 0
    for _ in range(random.randint(1, 3)):
        d = random.choice(dishes); q = random.randint(1, 3)
        lines.append({"menuItem": d[0], "name": d[1], "quantity": q, "subtotal": d[2] * q / 100}); total += d[2] * q
    tax = total // 20
    rows.append(("%024x" % (i + 1), "ORD_BENCH_%07d" % i, cid, json.dumps({"id": cid, "name": "Bench Customer", "phone": "9000000000"}),
                 json.dumps(lines), total, 0, tax, 0, total + tax, json.dumps({"street": "1 MG Road", "city": "Bengaluru"}),
                 random.choice(statuses), random.choice(["COD", "COD", "ONLINE"]), "pending", at, at))
c.executemany("INSERT INTO orders (id, order_number, customer_id, customer, items, items_total_paise, discount_paise, tax_paise, "
              "delivery_fee_paise, final_amount_paise, delivery_address, status, payment_method, payment_status, created_at, "
              "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
c.commit()
PY
make_admin

PORT="$(free_port)"
start_tiptop "$PORT"
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN="$(admin_token "$BASE")"
rolled() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM analytics_days").fetchone()[0])' "$WORK_DIR/tiptop.db"; }
for _ in $(seq 1 600); do (( $(rolled) >= 364 )) && break; sleep 0.2; done
echo "bench: analytics rolled up $(rolled) days"

mem() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }
rss_before="$(mem VmRSS)"; peak_before="$(mem VmHWM)"
# The restaurant's calendar (RESTAURANT_TIMEZONE's default), not the machine's.
FROM="$(TZ=Asia/Kolkata date -d '-366 days' +%F)"; TO="$(TZ=Asia/Kolkata date +%F)"
read -r seconds bytes status < <(curl -sS -o "$WORK_DIR/export.csv" -w '%{time_total} %{size_download} %{http_code}\n' \
  -H "Authorization: Bearer $TOKEN" "$BASE/admin/analytics/export?from=$FROM&to=$TO&format=csv")
rss_after="$(mem VmRSS)"; peak_after="$(mem VmHWM)"
[[ "$status" == 200 ]] || die "export answered $status"
lines="$(wc -l < "$WORK_DIR/export.csv")"
(( lines == ORDERS + 1 )) || die "export has $((lines - 1)) rows, expected $ORDERS"

stop_tiptop_or_die
! report_tiptop_log_errors tiptop || die "tiptop logged errors"
awk -v rows="$ORDERS" -v s="$seconds" -v b="$bytes" -v r0="$rss_before" -v r1="$rss_after" -v p0="$peak_before" -v p1="$peak_after" \
  -v commit="$(commit_desc)" -v cores="$(nproc)" 'BEGIN {
  printf "export of %d orders (a year) at %s, %s cores, SQLite\n", rows, commit, cores
  printf "  %.2f s, %.1f MB CSV, %d rows/s\n", s, b / 1e6, rows / s
  printf "  server memory: RSS %.1f MB before, %.1f MB after; peak %.1f MB before, %.1f MB after (+%.1f MB)\n",
         r0 / 1024, r1 / 1024, p0 / 1024, p1 / 1024, (p1 - p0) / 1024
}'
