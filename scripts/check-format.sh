#!/usr/bin/env bash
# Fails when a C++ file of the repository differs from .clang-format (Debian's clang-format 14).
# scripts/check-format.sh --fix rewrites them instead. Run by scripts/test.sh, hence by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format)
mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = "--fix" ]; then
  "$fmt" -i "${files[@]}"
  exit 0
fi
if ! "$fmt" --dry-run --Werror "${files[@]}" 2>/tmp/tiptop-format.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/tiptop-format.$$ | cut -d: -f1 | sort -u | sed 's/^/format: differs from .clang-format: /'
  rm -f /tmp/tiptop-format.$$
  echo "format: run scripts/check-format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/tiptop-format.$$
echo "format: ${#files[@]} files match .clang-format"
