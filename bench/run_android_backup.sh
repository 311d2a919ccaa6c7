#!/usr/bin/env bash
# The large-Android-backup bench (see bench/README.md, "run_android_backup.sh"):
# builds spyscan in Release, generates an `adb backup` of a heavily used phone's
# messages (100,000 SMS in 100 files of 1,000 as TelephonyBackupAgent writes
# them, 2,000 MMS, 40 other apps' members; one message in four with a link, a
# few hundred on real indicator domains) three ways — compressed, encrypted +
# compressed (PBKDF2 10,000 rounds), uncompressed — and checks each with every
# public indicator under /usr/bin/time -v, printing wall time, CPU time (user +
# system), peak memory (max RSS), the number of alerts and URLs, and the load
# average before each run (other work on the machine stretches wall time, not
# CPU time). Everything generated lives under one mktemp folder in /tmp,
# removed at the end.
#
# Usage: bench/run_android_backup.sh [SHARED_DIR] [SMS_COUNT]   (default: ../shared 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
n_sms=${2:-100000}
iocs="$shared/iocs"
[ -d "$iocs" ] || { echo "no indicator folder at $iocs" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  sudo -n apt-get install -y time >/dev/null 2>&1 || apt-get install -y time >/dev/null
fi
build=${SPY_BENCH_BUILD:-build-bench-android}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null 2>&1
cmake --build "$build" -j"$(nproc)" --target spyscan gen_android_backup >/dev/null

work=$(mktemp -d /tmp/spyscan-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
password="bench-password-1234"

measure() { # label, then the spyscan arguments
  local label=$1; shift
  local out="$work/out"
  rm -rf "$out"
  sync
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$work/time.txt" "$build/spyscan" android "$@" --no-default-iocs \
    -i "$iocs" -o "$out" >"$work/stdout.txt" 2>"$work/stderr.txt"
  local code=$?
  set -e
  local wall rss cpu
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2fs", s}' "$work/time.txt")
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  printf '%-22s exit %d, wall %s, CPU %s, max RSS %d MiB, alerts %s, URLs %s, load before %s\n' \
    "$label" "$code" "$wall" "$cpu" "$((rss / 1024))" \
    "$(grep -o '"level"' "$out/alerts.json" 2>/dev/null | wc -l)" \
    "$(grep -o '"url"' "$out/urls.json" 2>/dev/null | wc -l)" "$load"
}

gen() { # name, then generator options
  local name=$1; shift
  "$build/bench/gen_android_backup" --sms "$n_sms" "$@" "$work/$name.ab" >/dev/null
  printf '%-12s %s MiB\n' "$name.ab" "$(( $(stat -c %s "$work/$name.ab") / 1048576 ))"
}

gen compressed
gen encrypted --password "$password"
gen plain --no-compress
for run in 1 2 3; do # the first run also warms the page cache
  measure "compressed run $run" check-backup "$work/compressed.ab"
done
for run in 1 2 3; do
  measure "encrypted run $run" check-backup -p "$password" "$work/encrypted.ab"
done
measure "uncompressed" check-backup "$work/plain.ab"
# The SMS module's row of the last run (records, seconds).
sed -n '/^Module /,/^$/p' "$work/stdout.txt" | awk 'NR>1 && NF {printf "    %-24s %8s records %8ss\n", $1, $3, $NF}'
