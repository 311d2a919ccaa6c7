#!/usr/bin/env bash
# Fails when project code calls a banned function (design.md §8): unsafe
# string functions, non-reentrant time/error functions, process-wide
# environment changes, and rand.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='sprintf|vsprintf|strcpy|strcat|gets|atoi|atol|strtok|localtime|gmtime|strerror|setenv|putenv|rand'
# A call is the name as a whole word followed by "(" (so snprintf,
# localtime_r, strerror_r... are fine).
hits=$(grep -rnE --include='*.c' --include='*.h' "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(" \
         src tests fuzz bench samples || true)
if [ -n "$hits" ]; then
  echo "banned function calls:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "banned-function check: clean"
