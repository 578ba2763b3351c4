#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS under AddressSanitizer and UBSan (clang-14), starting from
# its kept corpus tests/fuzz/corpus/TARGET; inputs that reach new code are merged back into that
# corpus (libFuzzer's -merge keeps only those). A crash leaves its input in
# tests/fuzz/crashes/TARGET/: fix the code, keep the input, and CTest replays it from then on.
#   scripts/fuzz.sh TARGET SECONDS        e.g. scripts/fuzz.sh http_request 600
#   scripts/fuzz.sh list                  the targets
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
targets=$(sed -n 's/^set(FUZZ_TARGETS \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt)
if [ "${1:-}" = list ] || [ $# -lt 1 ]; then
  echo "targets: $targets"
  [ $# -ge 1 ] && exit 0 || { echo "usage: scripts/fuzz.sh TARGET SECONDS" >&2; exit 2; }
fi
target=$1 seconds=${2:-60}
[[ " $targets " == *" $target "* ]] || { echo "fuzz: unknown target '$target' (targets: $targets)" >&2; exit 2; }

scripts/setup.sh fuzz
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIPTOP_FUZZ=ON >/dev/null
ninja -C build-fuzz "fuzz_$target"

corpus="$root/tests/fuzz/corpus/$target" crashes="$root/tests/fuzz/crashes/$target"
work=$(mktemp -d /tmp/tiptop-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$corpus" "$crashes" "$work/new"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "fuzz: $target for $seconds s (log: $work/log while it runs)"
status=0
"build-fuzz/tests/fuzz/fuzz_$target" "$work/new" "$corpus" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" >"$work/log" 2>&1 || status=$?
[ "$status" -eq 0 ] || tail -60 "$work/log"
# Keep what reaches new code, in the repository's corpus (small files, named by their hash).
"build-fuzz/tests/fuzz/fuzz_$target" -merge=1 "$corpus" "$work/new" >/dev/null 2>&1 || true
grep -E 'DONE|INITED' "$work/log" | tail -2
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$work/log"
echo "fuzz: $target ran $seconds s; corpus now $(ls "$corpus" | wc -l) inputs; findings: $(ls "$crashes" | wc -l) in tests/fuzz/crashes/$target"
exit "$status"
