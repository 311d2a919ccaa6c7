#!/usr/bin/env bash
# Runs every libFuzzer target of a -DSPY_FUZZ=ON build.
#   fuzz/run.sh BUILD_DIR          open-ended: 10 minutes a target, new inputs
#                                  kept in fuzz/corpus/<name>/
#   fuzz/run.sh BUILD_DIR --ci     bounded, fixed seed, FUZZ_SECONDS in all
#                                  (default 360), corpus copied to a scratch dir
# A crash leaves its input in fuzz/artifacts/; after the fix, copy it into
# fuzz/corpus/<name>/ so the replay test keeps it fixed.
set -euo pipefail
build=${1:?usage: fuzz/run.sh BUILD_DIR [--ci]}
mode=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
targets=("$build"/fuzz/fuzz_*)
[ -x "${targets[0]}" ] || { echo "no fuzz targets in $build/fuzz (configure with -DSPY_FUZZ=ON)" >&2; exit 2; }
mkdir -p "$here/artifacts"
total=${FUZZ_SECONDS:-360}
per=$(( total / ${#targets[@]} ))
[ "$per" -ge 5 ] || per=5
for t in "${targets[@]}"; do
  name=$(basename "$t"); short=${name#fuzz_}
  corpus="$here/corpus/$short"
  if [ "$mode" = "--ci" ]; then
    scratch=$(mktemp -d)
    cp -r "$corpus/." "$scratch/"
    echo "fuzzing $short for ${per}s (seed 1)"
    "$t" -seed=1 -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 \
         -artifact_prefix="$here/artifacts/$short-" -print_final_stats=1 "$scratch" 2>&1 | tail -n 3
    rm -rf "$scratch"
  else
    "$t" -max_total_time=600 -timeout=10 -artifact_prefix="$here/artifacts/$short-" "$corpus"
  fi
done
