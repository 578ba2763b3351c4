#!/usr/bin/env bash
# Every benchmark at a short duration, one after the other, and one table of their figures, so a
# regression is seen at a glance (issue 24). The figures are rougher than a full run's: read a
# change in them as a reason to run that benchmark properly, not as a measurement.
#
#   bench/all.sh                   # build-release/src/tiptop; web/dist for the static file
#   WRK_DURATION=10s bench/all.sh  # longer runs
#   ONLY="orders menu" bench/all.sh
#
# Runs: run.sh (GET /health), menu.sh, static.sh (needs web/dist: scripts/build-web.sh), orders.sh
# at 32 and 64 connections, board.sh, export.sh (20,000 orders), realtime.sh (tiptop only, 10,000
# idle sockets and the 10,000-socket fan-out) and multinode.sh. A benchmark that fails is shown as
# FAILED with the end of its output, and the script exits 1 after the table.
# Knobs: WRK_DURATION (3s), WARMUP (1s), ONLY (names above, without .sh), plus each script's own.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export WRK_DURATION="${WRK_DURATION:-3s}" WARMUP="${WARMUP:-1s}"
ONLY="${ONLY:-run menu static orders32 orders64 board export realtime multinode}"
out="$(mktemp -d /tmp/tiptop-bench-all.XXXXXX)"
trap 'rm -rf "$out"' EXIT
failed=0
rows=()

# bench <name> <command...>: runs it, keeps its output in $out/<name>.txt.
bench() {
  local name="$1"; shift
  [[ " $ONLY " == *" $name "* ]] || return 1
  echo "== $name: $*" >&2
  local t0=$SECONDS
  if "$@" >"$out/$name.txt" 2>&1; then
    echo "   done in $((SECONDS - t0)) s" >&2
    return 0
  fi
  echo "   FAILED (exit code $?); the end of its output:" >&2
  tail -n 15 "$out/$name.txt" | sed 's/^/   | /' >&2
  rows+=("$(printf '%-10s %s' "$name" FAILED)")
  failed=1
  return 1
}
# kv <file> <key>: a key=value from a RESULT line of the file (the first one that has it).
kv() { grep -a '^RESULT ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n1; }
row() { rows+=("$(printf '%-10s %s' "$1" "$2")"); }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }

if bench run "$here/run.sh"; then
  f="$out/run.txt"
  row run "GET /health: $(grep -a '^Summary' "$f" | sed -E 's/.*= ([0-9]+) req\/s.*/\1/') req/s, $(grep -a '^Latency' "$f" | grep -oE 'p99 [0-9.]+ms')"
fi
if bench menu "$here/menu.sh"; then
  f="$out/menu.txt"
  row menu "cached menu page: $(grep -aE '^tiptop +[0-9]' "$f" | awk '{print $2}') req/s vs nginx $(grep -aE '^nginx +[0-9]' "$f" | awk '{print $2}'); $(grep -a '^ratio' "$f" | sed 's/  (/ (/')"
fi
if bench static "$here/static.sh"; then
  f="$out/static.txt"
  row static "web file (gzip): $(grep -aE '^tiptop +[0-9]' "$f" | awk '{print $2}') req/s vs nginx $(grep -aE '^nginx +[0-9]' "$f" | awk '{print $2}'); $(grep -a '^ratio' "$f" | sed 's/  (/ (/')"
fi
for c in 32 64; do
  if bench "orders$c" env WRK_CONNECTIONS="$c" "$here/orders.sh"; then
    f="$out/orders$c.txt"
    row "orders$c" "$(grep -a '^orders/s:' "$f" | awk '{print $2}') orders/s at $c connections, $(grep -a '^latency:' "$f" | grep -oE 'p99 [0-9.]+ ms'), SQLite FULL; $(grep -a '^goal:' "$f")"
  fi
done
if bench board "$here/board.sh"; then
  f="$out/board.txt"
  row board "kitchen board ($(kv "$f" open) open, $(kv "$f" history) past): $(kv "$f" rps) polls/s, p99 $(kv "$f" p99), $(kv "$f" cpu_ms_per_poll) ms CPU a poll"
fi
if bench export env ORDERS=20000 "$here/export.sh"; then
  f="$out/export.txt"
  row export "CSV export: $(grep -aE 'rows/s' "$f" | sed 's/^ *//'); $(grep -a 'server memory' "$f" | sed -E 's/.*\(\+/peak +/; s/\)//')"
fi
if bench realtime env SKIP_NODE=1 EVENTS=50 FANOUT_EVENTS=10 IDLE_SECONDS=3 "$here/realtime.sh"; then
  f="$out/realtime.txt"
  row realtime "$(kv "$f" connected) idle sockets: $(kv "$f" per_conn_kb) KB each, status event p99 $(kv "$f" p99_ms) ms; fan-out to $(kv "$f" fanout): last receipt p50 $(kv "$f" fanout_last_p50_ms) ms"
fi
if bench multinode "$here/multinode.sh"; then
  f="$out/multinode.txt"
  row multinode "2 nodes, PostgreSQL + Redis, nginx: $(grep -a '^orders:' "$f" | sed -E 's/^orders: +//; s/  p50.*p99/, p99/; s/  max.*//'); menu $(grep -a '^menu page:' "$f" | awk '{print $3}') req/s"
fi

echo
echo "== bench/all.sh at $(git -C "$here/.." log -1 --format='%h %cs' 2>/dev/null), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), WRK_DURATION=$WRK_DURATION"
printf '%s\n' "${rows[@]}"
exit "$failed"
