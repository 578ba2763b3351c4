#!/usr/bin/env bash
# The kitchen's board, GET /api/v1/admin/orders/board, as the staff's screens poll it: how much it
# costs the server (CPU per poll, latency) on a busy evening, against a Release build on SQLite.
#
#   bench/board.sh                          # uses build-release/src/tiptop
#   OPEN=400 HISTORY=200000 bench/board.sh
#
# It builds nothing. In a throwaway temp dir, loopback only, it:
#   1. migrates a fresh SQLite database and writes HISTORY finished orders over the last 90 days
#      (delivered or cancelled, some today) and OPEN open ones placed in the last two hours, across
#      the five open statuses, each with its status history (python3's sqlite3 module);
#   2. creates an admin, starts `tiptop serve`, signs in, reads the board once and checks it shows
#      OPEN cards and today's finished counts;
#   3. polls it with `wrk -t2 -cCONNECTIONS` for WRK_DURATION while reading the server's CPU time
#      (utime + stime of /proc/PID/stat) before and after;
#   4. prints req/s, latency percentiles, CPU milliseconds per poll, the answer's size, and what
#      SCREENS screens polling every POLL_SECONDS seconds would cost in share of one core.
#
# Knobs: TIPTOP_BIN, OPEN (150), HISTORY (100000), WRK_CONNECTIONS (8), WRK_THREADS (2),
# WRK_DURATION (10s), WARMUP (2s), SCREENS (10), POLL_SECONDS (3).
set -euo pipefail
WRK_CONNECTIONS="${WRK_CONNECTIONS:-8}"  # a few screens at once, not a crowd
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

OPEN="${OPEN:-150}"
HISTORY="${HISTORY:-100000}"
SCREENS="${SCREENS:-10}"
POLL_SECONDS="${POLL_SECONDS:-3}"
require_tiptop_bin
require_wrk
require_curl "to sign in and read the board"
check_load_knobs
command -v python3 >/dev/null || die "python3 not found (it writes the generated orders)"
make_work_dir tiptop-bench-board
tiptop_env
TIPTOP_ENV+=(RATE_LIMIT_MAX=1000000 ESCALATION_INTERVAL_MS=3600000)
install_traps

env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" migrate >/dev/null
echo "bench: writing $HISTORY finished and $OPEN open orders ..."
python3 - "$WORK_DIR/tiptop.db" "$HISTORY" "$OPEN" <<'PY'
import json, random, sqlite3, sys, time
db, history, open_n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(22)
now = int(time.time() * 1000)
c = sqlite3.connect(db)
cid = "c" * 24
c.execute("INSERT INTO users (id, role, email, phone, password_hash, first_name, last_name, is_active, created_at, updated_at) "
          "VALUES (?, 'customer', 'bench@example.test', '9000000000', 'x', 'Bench', 'Customer', 1, ?, ?)", (cid, now, now))
dishes = [("a" * 23 + str(i), name, price) for i, (name, price) in
          enumerate([("Chicken Biryani", 32000), ("Butter Naan", 5000), ("Paneer Tikka", 24000), ("Veg Fried Rice", 18000)])]
flow = ["pending", "confirmed", "preparing", "ready", "out-for-delivery", "delivered"]
orders, steps = [], []
def add(i, status, at):
    lines, total = [], 0
    for _ in range(random.randint(1, 4)):
        d = random.choice(dishes); q = random.randint(1, 3)
        lines.append({"menuItem": d[0], "name": d[1], "price": d[2] / 100, "quantity": q,
                      "customizations": [], "subtotal": d[2] * q / 100}); total += d[2] * q
    tax = total // 20
    oid = "%024x" % (i + 1)
    orders.append((oid, "ORD_BENCH_%07d" % i, cid,
                   json.dumps({"id": cid, "name": "Guest %d" % (i % 500), "phone": "9000000000"}),
                   json.dumps(lines), total, 0, tax, 0, total + tax, json.dumps({"street": "1 MG Road", "city": "Bengaluru"}),
                   status, random.choice(["COD", "COD", "UPI"]), "pending", random.choice(["delivery", "delivery", "takeaway"]),
                   at + 45 * 60000, at, at))
    path = flow[:flow.index(status) + 1] if status in flow else ["pending", "cancelled"]
    for seq, s in enumerate(path):
        steps.append((oid, seq + 1, s, at + seq * 5 * 60000, "bench"))
for i in range(history):
    # a tenth of them today, the rest over the last 90 days
    at = now - random.randrange(6 * 3600 * 1000) if i % 10 == 0 else now - random.randrange(90 * 86400 * 1000)
    add(i, random.choice(["delivered"] * 9 + ["cancelled"]), at - 3600 * 1000)
for j in range(open_n):
    add(history + j, flow[j % 5], now - random.randrange(2 * 3600 * 1000))
c.executemany("INSERT INTO orders (id, order_number, customer_id, customer, items, items_total_paise, discount_paise, tax_paise, "
              "delivery_fee_paise, final_amount_paise, delivery_address, status, payment_method, payment_status, order_type, "
              "estimated_delivery_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", orders)
c.executemany("INSERT INTO order_status_history (order_id, seq, status, at, updated_by) VALUES (?, ?, ?, ?, ?)", steps)
c.commit()
PY
make_admin

PORT="$(free_port)"
start_tiptop "$PORT"
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN="$(admin_token "$BASE")"
URL="$BASE/admin/orders/board"

curl -fsS -H "Authorization: Bearer $TOKEN" "$URL" -o "$WORK_DIR/board.json"
read -r cards delivered_today < <(python3 - "$WORK_DIR/board.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["data"]
print(sum(len(v) for v in d["columns"].values()), d["counts"].get("deliveredToday", 0))
PY
)
(( cards == OPEN )) || die "the board shows $cards cards, not $OPEN"
(( delivered_today > 0 )) || die "the board counts no order delivered today"
bytes="$(wc -c < "$WORK_DIR/board.json")"
echo "bench: the board shows $cards open orders and $delivered_today delivered today ($bytes bytes)"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
export BENCH_TOKEN="$TOKEN"
if [[ "$(to_seconds "$WARMUP")" -gt 0 ]]; then
  "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WARMUP" -s "$BENCH_DIR/board.lua" "$URL" >/dev/null
fi
before="$(cpu_ticks)"
wrk_measure board.lua "$URL" | tee "$WORK_DIR/wrk.txt"
after="$(cpu_ticks)"
stop_tiptop_or_die
report_tiptop_log_errors tiptop && exit 1

requests="$(awk '/requests in/ { print $1 }' "$WORK_DIR/wrk.txt")"
rps="$(awk '/^Requests\/sec/ { print $2 }' "$WORK_DIR/wrk.txt")"
non2xx="$(awk '/Non-2xx/ { print $NF }' "$WORK_DIR/wrk.txt")"
[[ -z "$non2xx" ]] || die "$non2xx answers were not 2xx"
hz="$(getconf CLK_TCK)"
cpu_ms="$(python3 -c "print(f'{($after - $before) * 1000 / $hz / $requests:.3f}')")"
share="$(python3 -c "print(f'{$SCREENS * $cpu_ms / ($POLL_SECONDS * 1000) * 100:.2f}')")"
p50="$(awk '$1 == "50%" { print $2 }' "$WORK_DIR/wrk.txt")"
p99="$(awk '$1 == "99%" { print $2 }' "$WORK_DIR/wrk.txt")"
echo
echo "RESULT board open=$OPEN history=$HISTORY bytes=$bytes connections=$WRK_CONNECTIONS rps=$rps p50=$p50 p99=$p99 cpu_ms_per_poll=$cpu_ms"
echo "bench: $SCREENS screens polling every ${POLL_SECONDS}s would use ${share}% of one core ($(nproc) cores, commit $(commit_desc))"
