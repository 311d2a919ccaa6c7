#!/usr/bin/env bash
# The large-backup bench (see bench/README.md, "run_ios_backup.sh"): builds
# spyscan in Release, generates a heavily used phone's backup at scale 1
# (400k Manifest rows, 40k SMS, 100k Safari visits, a 36 MB Info.plist of
# 2,000 apps and the other plist artifacts) and at scale 0.5, and checks each
# three times with every public indicator under /usr/bin/time -v, printing
# wall time, peak memory (max RSS) and the load average before each run
# (other work on the machine shows there). Everything generated lives under
# one mktemp folder in /tmp, removed at the end.
#
# With --encrypted: scale 1 only, the plain backup and its encrypted twin
# (gen_ios_backup --encrypted-twin: real PBKDF2 counts), each checked three
# times, the twin with the key file from extract-key (the derivation timed
# on its own) and once with the password; prints the encrypted/plain ratio.
#
# Usage: bench/run_ios_backup.sh [--encrypted] [SHARED_DIR]   (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
encrypted=0
if [ "${1:-}" = --encrypted ]; then encrypted=1; shift; fi
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
# One timed check: prints a line, sets $wall_s (seconds).
timed_check() { # label out backup [extra options...]
  local label=$1 out=$2 backup=$3; shift 3
  sync
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$work/time.txt" "$build/spyscan" ios check-backup --no-default-iocs -n \
    -i "$iocs" -o "$out" "$@" "$backup" >"$work/stdout.txt" 2>"$work/stderr.txt"
  local code=$?
  set -e
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  wall_s=$(awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$wall")
  printf '%-26s exit %d, wall %s, max RSS %d MiB, alerts %s, load before %s\n' "$label" "$code" \
    "$wall" "$((rss / 1024))" "$(grep -o '"level"' "$out/alerts.json" 2>/dev/null | wc -l)" "$load"
}

if [ "$encrypted" = 1 ]; then
  plain="$work/plain"; enc="$work/encrypted"; pw="bench password"
  "$build/bench/gen_ios_backup" --scale 1 --encrypted-twin "$enc" --password "$pw" "$plain"
  echo "sizes: plain $(du -sh "$plain" | cut -f1), encrypted $(du -sh "$enc" | cut -f1)"
  start=$(date +%s.%N)
  SPYSCAN_BACKUP_PASSWORD="$pw" "$build/spyscan" ios extract-key -n -k "$work/key" "$enc" 2>/dev/null
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "extract-key (key derivation): %.1f s\n", b - a }'
  for run in 1 2 3; do
    timed_check "plain run $run:" "$work/out-p$run" "$plain"; p[$run]=$wall_s
    rm -rf "$work/out-p$run"
    timed_check "encrypted (-k) run $run:" "$work/out-e$run" "$enc" -k "$work/key"; e[$run]=$wall_s
    rm -rf "$work/out-e$run"
  done
  SPYSCAN_BACKUP_PASSWORD="$pw" timed_check "encrypted (password):" "$work/out-pw" "$enc"
  awk -v p="${p[2]} ${p[3]}" -v e="${e[2]} ${e[3]}" 'BEGIN { split(p, a, " "); split(e, b, " ");
    printf "ratio encrypted/plain (runs 2-3, key file): %.2f\n", (b[1] + b[2]) / (a[1] + a[2]) }'
  exit 0
fi

for scale in 1 0.5; do
  backup="$work/backup-$scale"
  "$build/bench/gen_ios_backup" --scale "$scale" "$backup"
  for run in 1 2 3; do # the first run also warms the page cache
    out="$work/out-$scale-$run"
    sync # the generator's (or the last run's) dirty pages are not the check's cost
    load=$(cut -d' ' -f1 /proc/loadavg)
    set +e
    /usr/bin/time -v -o "$work/time.txt" "$build/spyscan" ios check-backup --no-default-iocs \
      -i "$iocs" -o "$out" "$backup" >"$work/stdout.txt" 2>"$work/stderr.txt"
    code=$?
    set -e
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')
    # user + system seconds: what the check cost, whatever else ran beside it
    cpus=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/time.txt")
    printf 'scale %-5s run %d: exit %d, wall %s, max RSS %d MiB, CPU %s (%ss), alerts %s, load before %s\n' \
      "$scale" "$run" "$code" "$wall" "$((rss / 1024))" "$cpu" "$cpus" \
      "$(grep -o '"level"' "$out/alerts.json" 2>/dev/null | wc -l)" "$load"
    if [ "$run" = 3 ]; then # the plist modules' rows of the summary (records, seconds)
      grep -E '^(BackupInfo|ConfigurationProfiles|ProfileEvents|IDStatusCache|LocationdClients|OSAnalyticsADDaily|WebkitSessionResourceLog|Applications|GlobalPreferences) ' \
        "$work/stdout.txt" | awk '{printf "    %-26s %8s records %7ss\n", $1, $3, $NF}'
    fi
    rm -rf "$out"
  done
  rm -rf "$backup"
done
