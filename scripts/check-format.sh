#!/usr/bin/env bash
# Fails when a C file differs from .clang-format's layout. With --fix,
# reformats in place.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src tests fuzz bench -name '*.[ch]')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i $files
  exit 0
fi
clang-format --dry-run -Werror $files
echo "format check: clean"
