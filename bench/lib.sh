# shellcheck shell=bash
# Shared helpers for bench/run.sh and bench/menu.sh. Source it (after `set -euo pipefail`); it is
# not meant to be run on its own.
#
# Sourcing it sets REPO_ROOT, BENCH_DIR, SERVER_NAME and the common knobs' defaults (TIPTOP_BIN,
# WRK, WRK_THREADS, WRK_CONNECTIONS, WRK_DURATION, WARMUP) and defines the functions below. A script
# then typically calls:
#
#   require_tiptop_bin; require_wrk; require_curl "<why>"; check_load_knobs
#   make_work_dir <prefix>; tiptop_env; install_traps
#   PORT="$(free_port)"; start_tiptop "$PORT"
#   wrk_warmup <url> [label]; wrk_measure <script.lua> <url>
#   stop_tiptop_or_die; report_tiptop_log_errors <who>
#
# Hooks the cleanup (EXIT trap) calls, which a script may redefine after sourcing this file:
#   bench_before_stop           stop other processes before tiptop (default: nothing)
#   bench_failure_logs <status> show logs when the script fails (default: the tail of tiptop's log)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench"

TIPTOP_BIN="${TIPTOP_BIN:-$REPO_ROOT/build-release/src/tiptop}"
WRK="${WRK:-wrk}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
WRK_DURATION="${WRK_DURATION:-10s}"
WARMUP="${WARMUP:-2s}"

# How the tiptop process is called in messages ("server exited during startup", ...).
SERVER_NAME=server

die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Prerequisites and knobs

# The Release binary must exist (this builds nothing); TIPTOP_BIN becomes an absolute path.
require_tiptop_bin() {
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
}

require_wrk() {
  command -v "$WRK" >/dev/null 2>&1 || die "wrk not found (install it, e.g. apt-get install wrk, or set WRK=/path/to/wrk)"
}

# require_curl <what it is used for>
require_curl() {
  command -v curl >/dev/null 2>&1 || die "curl not found ($1)"
}

# Keep runs bounded: durations are wrk-style (<n>, <n>s or <n>m) and capped at two minutes.
to_seconds() {
  local d="$1"
  case "$d" in
    *m) echo $(( ${d%m} * 60 )) ;;
    *s) echo "${d%s}" ;;
    *)  echo "$d" ;;
  esac
}

# Validates WRK_DURATION, WARMUP, WRK_THREADS and WRK_CONNECTIONS.
check_load_knobs() {
  local v
  for v in WRK_DURATION WARMUP; do
    [[ "${!v}" =~ ^[0-9]+[sm]?$ ]] || die "$v must look like 10s, 30 or 1m (got '${!v}')"
    (( $(to_seconds "${!v}") <= 120 )) || die "$v is capped at 120s (got '${!v}')"
  done
  (( $(to_seconds "$WRK_DURATION") > 0 )) || die "WRK_DURATION must be positive"
  [[ "$WRK_THREADS" =~ ^[1-9][0-9]*$ && "$WRK_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] ||
    die "WRK_THREADS and WRK_CONNECTIONS must be positive integers"
}

# A free TCP port on 127.0.0.1.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  elif command -v node >/dev/null 2>&1; then
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  else
    die "need python3 or node to pick a free port"
  fi
}

# ---------------------------------------------------------------------------------------------
# Scratch directory, tiptop's environment, cleanup

# make_work_dir <prefix>: sets WORK_DIR (a fresh temp dir), SERVER_PID and SERVER_LOG.
make_work_dir() {
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  SERVER_PID=""
  SERVER_LOG="$WORK_DIR/server.log"
}

# Sets TIPTOP_ENV, the environment of every tiptop command (a script may append to it): a throwaway
# SQLite database and upload dir in WORK_DIR, NODE_ENV=test and LOG_LEVEL=warn (no access log).
# IO_THREADS, if set, passes through from the caller's environment.
tiptop_env() {
  TIPTOP_ENV=(
    NODE_ENV=test
    DATABASE_URL="sqlite://$WORK_DIR/tiptop.db"
    JWT_SECRET="bench-secret-0123456789abcdef-0123456789abcdef"
    CLIENT_URL="http://localhost:3000"
    LOG_LEVEL=warn
    UPLOAD_DIR="$WORK_DIR/uploads"
    # One customer places thousands of orders a second here: the per-customer flood limits are off.
    # and the realtime bench holds 10,000 sockets over 20 users.
    SOCKET_MAX_PER_USER=1000
    SOCKET_HANDSHAKES_PER_MINUTE=0
    MAX_CONNECTIONS_PER_ADDRESS=0
    ORDER_PLACEMENTS_PER_MINUTE=0
    MAX_OPEN_ORDERS_PER_CUSTOMER=0
  )
}

# stop_pid <pid> <name>: SIGTERM, wait up to 15 s, then SIGKILL; returns the process's exit code.
stop_pid() {
  local pid="$1" name="$2" rc=0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "bench: $name did not stop within 15s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}

# Stops tiptop if it is running (once); returns its exit code.
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  local pid="$SERVER_PID"; SERVER_PID=""
  stop_pid "$pid" "$SERVER_NAME"
}

# tail_log <what> <file>: the last 20 lines of a non-empty log, to stderr.
tail_log() {
  [[ -s "$2" ]] || return 0
  echo "bench: $1 (last 20 lines):" >&2
  tail -n 20 "$2" >&2 || true
}

bench_before_stop() { :; }
bench_failure_logs() { tail_log "server log" "$SERVER_LOG"; }

cleanup() {
  local status=$?
  bench_before_stop || true
  stop_server || true
  if (( status != 0 )); then
    bench_failure_logs "$status" || true
  fi
  rm -rf "$WORK_DIR"
  exit "$status"
}

install_traps() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# ---------------------------------------------------------------------------------------------
# Starting and stopping tiptop

# wait_for <url> <pid> <name>: up to 30 s for a 200.
wait_for() {
  local url="$1" pid="$2" name="$3"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || die "$name exited during startup"
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$name did not answer $url within 30s"
}

# start_tiptop <port>: `tiptop serve` in the background (output to SERVER_LOG, pid in SERVER_PID),
# then waits for /health. The cwd is the scratch dir so a ./.env in the repository cannot change
# the configuration.
start_tiptop() {
  local port="$1"
  ( cd "$WORK_DIR" && exec env "${TIPTOP_ENV[@]}" PORT="$port" "$TIPTOP_BIN" serve ) >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  wait_for "http://127.0.0.1:$port/health" "$SERVER_PID" "$SERVER_NAME"
}

# stop_nginx: SIGTERM to the private nginx whose pid is in NGINX_PID (menu.sh, static.sh), once.
stop_nginx() {
  [[ -n "${NGINX_PID:-}" ]] || return 0
  local pid="$NGINX_PID"; NGINX_PID=""
  stop_pid "$pid" nginx
}

# make_admin: creates the benchmarks' admin (bench.admin@tiptop.test) with the CLI, before the
# server starts. admin_token <api base>: logs it in and prints its access token.
make_admin() {
  printf 'kitchen-boss-2024\n' | env "${TIPTOP_ENV[@]}" "$TIPTOP_BIN" create-admin --email bench.admin@tiptop.test \
    --phone 9000000001 --password-stdin >/dev/null
}
admin_token() {
  curl -fsS -H 'Content-Type: application/json' -d '{"email":"bench.admin@tiptop.test","password":"kitchen-boss-2024"}' \
    "$1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["token"])'
}

# SIGTERM to tiptop; dies unless it exits with code 0.
stop_tiptop_or_die() {
  local rc=0
  stop_server || rc=$?
  (( rc == 0 )) || die "$SERVER_NAME exited with code $rc after SIGTERM"
}

# report_tiptop_log_errors <who>: if tiptop logged at level error/critical, prints the last ten such
# lines to stderr and returns 0; otherwise returns 1.
report_tiptop_log_errors() {
  grep -q '"level":"\(error\|critical\)"' "$SERVER_LOG" || return 1
  echo "bench: $1 logged errors during the run:" >&2
  grep '"level":"\(error\|critical\)"' "$SERVER_LOG" | tail -n 10 >&2
  return 0
}

# ---------------------------------------------------------------------------------------------
# Description of the run

# Short HEAD commit, with " (dirty)" when the work tree has changes.
commit_desc() {
  echo "$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
}

cpu_model() {
  grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo 'cpu unknown'
}

# "wrk 4.1.0" or the like.
wrk_version() {
  "$WRK" --version 2>&1 | head -n1 | cut -d' ' -f1-2
}

# ---------------------------------------------------------------------------------------------
# wrk

# wrk_warmup <url> [label]: the unmeasured warm-up (skipped when WARMUP is 0).
wrk_warmup() {
  local url="$1" label="${2:-}"
  if [[ "$(to_seconds "$WARMUP")" -gt 0 ]]; then
    echo "== ${label:+$label: }warm-up ($WARMUP, not measured)"
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  fi
}

# wrk_measure <script in bench/> <url>: the measured run; wrk's report goes to stdout.
wrk_measure() {
  "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency --timeout 5s \
    -s "$BENCH_DIR/$1" "$2"
}

# wrk_result_field <wrk output file> <key>: one value from the `RESULT key=value ...` line that
# bench/menu.lua prints (empty if there is none).
wrk_result_field() {
  grep '^RESULT ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# ---------------------------------------------------------------------------------------------
# JSON helpers, for scripts that set JSON_TOOL=python3 or JSON_TOOL=node (orders.sh, realtime.sh)

# json_get <file> <dotted path>: prints the value (strings raw, the rest as JSON); fails if absent.
json_get() {
  if [[ "$JSON_TOOL" == python3 ]]; then
    python3 -c 'import json,sys
v=json.load(open(sys.argv[1], "rb"))
for k in sys.argv[2].split("."):
    v=v[int(k)] if isinstance(v, list) else v[k]
print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
  else
    node -e 'let v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
for (const k of process.argv[2].split(".")) { if (v==null || !(k in Object(v))) throw new Error("no "+k); v=v[k]; }
console.log(typeof v==="string" ? v : JSON.stringify(v))' "$1" "$2"
  fi
}

# order_body <menu page file> <out file>: the order (first 3 available items, the first option of
# every required customization group) as compact JSON in <out file>; prints a description of the
# items on stdout.
order_body() {
  if [[ "$JSON_TOOL" == python3 ]]; then
    python3 -c 'import json,sys
d=json.load(open(sys.argv[1], "rb"))
assert d.get("success") is True, "the menu answer is not success:true"
lines, names = [], []
for it in d["data"]:
    if not it.get("isAvailable", False):
        continue
    choices, ok = [], True
    for g in it.get("customizations") or []:
        if g.get("required"):
            opts = g.get("options") or []
            if not opts:
                ok = False
                break
            choices.append({"name": g["name"], "options": [opts[0]["label"]]})
    if not ok:
        continue
    lines.append({"menuItem": it["_id"], "quantity": 1, "customizations": choices})
    names.append("%s [%s]" % (it["name"], ", ".join("%s=%s" % (c["name"], c["options"][0]) for c in choices) or "no required choices"))
    if len(lines) == 3:
        break
if len(lines) < 3:
    sys.exit("fewer than 3 orderable items on the first 100 of the menu")
body = {"items": lines, "deliveryAddress": {"street": "1 MG Road", "city": "Bengaluru"}, "paymentMethod": "COD"}
open(sys.argv[2], "w").write(json.dumps(body, separators=(",", ":"), ensure_ascii=False))
print("; ".join(names))' "$1" "$2"
  else
    node -e 'const fs=require("fs"); const d=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));
if (d.success!==true) throw new Error("the menu answer is not success:true");
const lines=[], names=[];
for (const it of d.data) {
  if (lines.length===3) break;
  if (!it.isAvailable) continue;
  const choices=[]; let ok=true;
  for (const g of it.customizations||[]) {
    if (!g.required) continue;
    if (!g.options || !g.options.length) { ok=false; break; }
    choices.push({name:g.name, options:[g.options[0].label]});
  }
  if (!ok) continue;
  lines.push({menuItem:it._id, quantity:1, customizations:choices});
  names.push(it.name+" ["+(choices.map(c=>c.name+"="+c.options[0]).join(", ")||"no required choices")+"]");
}
if (lines.length<3) { console.error("fewer than 3 orderable items on the first 100 of the menu"); process.exit(1); }
fs.writeFileSync(process.argv[2], JSON.stringify({items:lines, deliveryAddress:{street:"1 MG Road", city:"Bengaluru"}, paymentMethod:"COD"}));
console.log(names.join("; "))' "$1" "$2"
  fi
}
