#!/usr/bin/env bash
# The large-AndroidQF bench (see bench/README.md, "run_androidqf.sh"): builds
# spyscan in Release, generates an AndroidQF acquisition of a heavily used
# phone (5,000 packages, 400k files.json entries, a nested bug report with a
# ~50 MB dumpstate text, 2,000 FS/ members) and a half-size one, and checks
# each three times with every public indicator under /usr/bin/time -v,
# printing wall time, peak memory (max RSS) and the load average before each
# run; then the nested bug report alone with check-bugreport; then, to show
# that memory does not grow with the number of records, the same phone
# with 100k and 800k files.json entries. Everything generated lives under
# one mktemp folder in /tmp, removed at the end.
#
# Usage: bench/run_androidqf.sh [SHARED_DIR]   (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
iocs="$shared/iocs"
[ -d "$iocs" ] || { echo "no indicator folder at $iocs" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  sudo -n apt-get install -y time >/dev/null 2>&1 || apt-get install -y time >/dev/null
fi
build=${SPY_BENCH_BUILD:-build-bench-android}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null 2>&1
cmake --build "$build" -j"$(nproc)" --target spyscan gen_androidqf >/dev/null

work=$(mktemp -d /tmp/spyscan-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"

# The machine's speed drifts (a shared host: the same binary ran this bench
# from 0.7 s to 1.4 s within minutes, with no steal reported), so every run
# is preceded by a fixed CPU-only reference: two `gzip -1` of the same 39 MB
# of text at once, one per core. Read a run's time against it.
seq 1 5000000 >"$work/ref.txt"
reference() {
  local s e
  s=$(date +%s%N)
  gzip -1 -c "$work/ref.txt" >/dev/null &
  gzip -1 -c "$work/ref.txt" >/dev/null
  wait
  e=$(date +%s%N)
  echo $(((e - s) / 1000000))
}

measure() { # label, then the spyscan arguments
  local label=$1; shift
  local out="$work/out"
  rm -rf "$out"
  sync
  local ref; ref=$(reference)
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$work/time.txt" "$build/spyscan" android "$@" --no-default-iocs \
    -i "$iocs" -o "$out" >"$work/stdout.txt" 2>"$work/stderr.txt"
  local code=$?
  set -e
  local wall rss cpu
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/time.txt")
  printf '%-28s exit %d, wall %s, CPU %s s, max RSS %d MiB, alerts %s, load before %s, reference %s ms\n' \
    "$label" "$code" "$wall" "$cpu" "$((rss / 1024))" \
    "$(grep -o '"level"' "$out/alerts.json" 2>/dev/null | wc -l)" "$load" "$ref"
}

for size in full half; do
  if [ "$size" = full ]; then args=(); else args=(--packages 2500 --files 200000 --dumpsys-mb 25); fi
  acq=$("$build/bench/gen_androidqf" "${args[@]}" "$work/acq-$size")
  for run in 1 2 3; do # the first run also warms the page cache
    measure "check-androidqf $size run $run" check-androidqf "$acq"
  done
  # The per-module rows of the last run (records, seconds).
  sed -n '/^Module /,/^$/p' "$work/stdout.txt" | awk 'NR>1 && NF {printf "    %-24s %8s records %8ss\n", $1, $3, $NF}'
  measure "check-bugreport $size" check-bugreport "$acq/bugreport.zip"
  rm -rf "$work/acq-$size"
done

# Memory against the number of records: only files.json grows.
for files in 100000 800000; do
  acq=$("$build/bench/gen_androidqf" --files "$files" "$work/acq-files-$files")
  measure "check-androidqf $files files" check-androidqf "$acq"
  rm -rf "$work/acq-files-$files"
done
