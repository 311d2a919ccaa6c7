#!/usr/bin/env bash
# The large-backup bench (see bench/README.md, "run_ios_backup.sh"): builds
# spyscan in Release, generates a heavily used phone's backup at scale 1
# (400k Manifest rows, 40k SMS, 100k Safari visits) and at scale 0.5, and
# checks each with every public indicator under /usr/bin/time -v, printing
# wall time and peak memory (max RSS). Everything generated lives under one
# mktemp folder in /tmp, removed at the end.
#
# Usage: bench/run_ios_backup.sh [SHARED_DIR]   (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
iocs="$shared/iocs"
[ -d "$iocs" ] || { echo "no indicator folder at $iocs" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  sudo -n apt-get install -y time >/dev/null 2>&1 || apt-get install -y time >/dev/null
fi
build=${SPY_BENCH_BUILD:-build-bench-ios}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null 2>&1
cmake --build "$build" -j"$(nproc)" --target spyscan gen_ios_backup >/dev/null

work=$(mktemp -d /tmp/spyscan-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "modules: $("$build/spyscan" ios check-backup -l 2>/dev/null | sed -n 's/^ - Modules from [^:]*: //p')"
for scale in 1 0.5; do
  backup="$work/backup-$scale"
  "$build/bench/gen_ios_backup" --scale "$scale" "$backup"
  for run in 1 2; do # the first run also warms the page cache
    out="$work/out-$scale-$run"
    sync # the generator's (or the last run's) dirty pages are not the check's cost
    set +e
    /usr/bin/time -v -o "$work/time.txt" "$build/spyscan" ios check-backup --no-default-iocs \
      -i "$iocs" -o "$out" "$backup" >"$work/stdout.txt" 2>"$work/stderr.txt"
    code=$?
    set -e
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')
    printf 'scale %-5s run %d: exit %d, wall %s, max RSS %d MiB, CPU %s, alerts %s\n' \
      "$scale" "$run" "$code" "$wall" "$((rss / 1024))" "$cpu" \
      "$(grep -o '"level"' "$out/alerts.json" 2>/dev/null | wc -l)"
    rm -rf "$out"
  done
  rm -rf "$backup"
done
