#!/usr/bin/env bash
# A CPU profile of the server under one of the benchmarks (Debian's linux-perf), for flame graphs
# and before/after comparisons (issue 24). The output stays outside the repository.
#
#   bench/profile.sh orders [OUT_DIR]      # order placement (bench/orders.sh)
#   bench/profile.sh menu [OUT_DIR]        # the cached menu page (bench/menu.sh)
#
# It starts the benchmark with a longer run, waits for its measured phase, records the tiptop
# server for PROFILE_SECONDS (5) with `perf record -F 299 --call-graph dwarf`, lets the benchmark
# finish, and leaves in OUT_DIR (default /tmp/tiptop-profile-<bench>):
#   perf.data         for `perf report -i OUT_DIR/perf.data`
#   stacks.folded     one line per stack, "frame;frame;... count": the input of any flame graph
#                     tool (Brendan Gregg's flamegraph.pl, speedscope.app, inferno)
#   summary.txt       CPU per thread, then the busiest thread's functions by inclusive share
#   bench.txt         the benchmark's own output
# Needs perf (apt-get install linux-perf) and permission to profile (root, or
# kernel.perf_event_paranoid <= 1). Build: build-release, as for the benchmarks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
which="${1:-}"; case "$which" in orders|menu) ;; *) sed -n 2,6p "$0" >&2; exit 2 ;; esac
out="${2:-/tmp/tiptop-profile-$which}"
seconds="${PROFILE_SECONDS:-5}"
command -v perf >/dev/null 2>&1 || { echo "profile: perf not found (apt-get install linux-perf)" >&2; exit 1; }
mkdir -p "$out"
WRK_DURATION=$((seconds + 10))s "$here/$which.sh" >"$out/bench.txt" 2>&1 &
bench_pid=$!
# The measured phase: orders.sh and menu.sh print this line before their measured wrk run.
marker=$([[ "$which" == orders ]] && echo "== wrk -t" || echo "== tiptop: wrk")
for _ in $(seq 1 240); do grep -qa -- "$marker" "$out/bench.txt" 2>/dev/null && break; sleep 0.5; done
sleep 2
pid="$(pgrep -n -f 'tiptop serve' || true)"
[[ -n "$pid" ]] || { echo "profile: no tiptop server found" >&2; wait "$bench_pid"; exit 1; }
perf record -q -F 299 --call-graph dwarf,16384 -p "$pid" -o "$out/perf.data" -- sleep "$seconds"
wait "$bench_pid" || echo "profile: the benchmark failed (see $out/bench.txt)" >&2
perf script -i "$out/perf.data" -F tid,ip,sym 2>/dev/null | python3 -c '
import collections, sys
out = sys.argv[1]
samples, cur = [], None
for line in sys.stdin:
    if not line.strip():
        if cur: samples.append(cur)
        cur = None
    elif not line.startswith("\t"):
        cur = (line.strip(), [])
    else:
        parts = line.strip().split(" ", 1)
        cur[1].append(parts[1] if len(parts) > 1 else parts[0])
if cur: samples.append(cur)
folded = collections.Counter(";".join(reversed(frames)) for _, frames in samples if frames)
with open(out + "/stacks.folded", "w") as f:
    for stack, n in folded.most_common(): f.write(f"{stack} {n}\n")
threads = collections.Counter(t for t, _ in samples)
with open(out + "/summary.txt", "w") as f:
    f.write(f"{len(samples)} samples\nper thread: " + ", ".join(f"{t} {100*n/len(samples):.1f}%" for t, n in threads.most_common(8)) + "\n")
    busiest = threads.most_common(1)[0][0]
    mine = [fr for t, fr in samples if t == busiest]
    inclusive = collections.Counter()
    for fr in mine:
        for sym in set(fr):
            if not sym.startswith("0x") and sym != "[unknown]": inclusive[sym[:120]] += 1
    f.write(f"busiest thread {busiest}: functions by inclusive share of its samples\n")
    for sym, n in inclusive.most_common(40): f.write(f"{100*n/len(mine):5.1f}%  {sym}\n")
' "$out"
echo "profile: $out/perf.data, $out/stacks.folded, $out/summary.txt"
head -n 25 "$out/summary.txt"
