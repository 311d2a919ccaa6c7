#!/usr/bin/env bash
# check-iocs from the command line: bad inputs and the output-folder rules of
# design.md §3 (never inside the input, never a non-empty folder without --force);
# android check-iocs on the results of check-androidqf finds what a direct
# run with the same indicators finds, and leaves those results untouched.
set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/android_iocs.sh"
demo="$SPYSCAN_SOURCE_DIR/samples/demo-indicators.stix2"
mkdir -p "$tmp/saved"
echo '[]' > "$tmp/saved/unrelated.json"
before=$(cd "$tmp/saved" && find . -printf '%p %s %T@\n' | sort)

expect_exit 3 -- ios check-iocs --no-default-iocs -i "$demo" "$tmp/nowhere"
expect_in "nowhere" "$err" "missing folder named"
expect_exit 3 -- ios check-iocs --no-default-iocs -i "$demo" "$tmp/saved/unrelated.json"

expect_exit 2 -- ios check-iocs --no-default-iocs -i "$demo" -o "$tmp/saved/out" "$tmp/saved"
[ ! -e "$tmp/saved/out" ] || { echo "FAIL: output created inside the input"; failures=$((failures+1)); }
expect_exit 2 -- ios check-iocs --no-default-iocs -i "$demo" -o "$tmp" "$tmp/saved"

mkdir -p "$tmp/busy" && echo x > "$tmp/busy/file"
expect_exit 2 -- android check-iocs --no-default-iocs -i "$demo" -o "$tmp/busy" "$tmp/saved"
expect_exit 0 -- android check-iocs --no-default-iocs -i "$demo" -o "$tmp/busy" --force "$tmp/saved"

expect_exit 0 -- ios check-iocs --no-default-iocs -i "$demo" -o "$tmp/new/deeper" "$tmp/saved"
[ "$(stat -c %a "$tmp/new/deeper")" = 700 ] || { echo "FAIL: output folder not 0700"; failures=$((failures+1)); }
[ -f "$tmp/new/deeper/command.log" ] || { echo "FAIL: no command.log"; failures=$((failures+1)); }
[ "$(stat -c %a "$tmp/new/deeper/command.log")" = 600 ] || { echo "FAIL: command.log not 0600"; failures=$((failures+1)); }
leftover=$(find "$tmp/new/deeper" -name '.*' | wc -l)
[ "$leftover" -eq 0 ] || { echo "FAIL: temporary files left in the output"; failures=$((failures+1)); }

expect_exit 2 -- ios check-iocs --virustotal "$tmp/saved"
expect_in "never sends evidence" "$err" "virustotal refusal"
expect_exit 2 -- ios check-iocs --load-module x.py "$tmp/saved"
expect_exit 2 -- ios check-iocs "$tmp/saved" extra-argument
expect_exit 0 -- ios check-iocs --help
expect_in "--ioc-list" "$out" "check-iocs --help"

after=$(cd "$tmp/saved" && find . -printf '%p %s %T@\n' | sort)
[ "$before" = "$after" ] || { echo "FAIL: the saved folder changed"; failures=$((failures+1)); }

# ---- android check-iocs on saved AndroidQF results --------------------------
snapshot() { # names, modes, sizes, times and hashes of everything under $1
  (cd "$1" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort &&
   find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
expect_exit 0 -- android check-androidqf --no-default-iocs -o "$tmp/aqf" "$ioc_fx/androidqf_iocs.zip"
saved_before=$(snapshot "$tmp/aqf")
expect_exit 1 -- android check-iocs --no-default-iocs -i "$ioc_stix" -o "$tmp/aqf-iocs" "$tmp/aqf"
expect_in "Loading results from \"$tmp/aqf/aqf_files.json\" with module AQFFiles" "$err" "saved results read"
expect_row '\[ 4/6\] AQFPackages ok 4 records, 3 alerts \(2 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
  "check-iocs progress line"
expect_row '\[ 6/6\] AQFFiles ok 3 records, 1 alert \(1 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
  "check-iocs progress line"
expect_in "The check of the results produced 9 detections!" "$err" "check-iocs count"
expect_detection_lines "$err" "android check-iocs" androidqf
expect_detection_table "$out" "android check-iocs" androidqf
expect_alerts "$tmp/aqf-iocs" "$androidqf_alerts" "android check-iocs"
expect_no_decoys "$tmp/aqf-iocs" "$err" "android check-iocs"
[ "$(snapshot "$tmp/aqf")" = "$saved_before" ] ||
  { echo "FAIL: check-iocs changed the saved results"; failures=$((failures+1)); }

# The direct run with the same indicators: the same alerts, and each module's
# _detected.json byte for byte (alerts.json differs only in module order).
expect_exit 1 -- android check-androidqf --no-default-iocs -i "$ioc_stix" -o "$tmp/aqf-direct" \
  "$ioc_fx/androidqf_iocs.zip"
[ "$(alert_summary "$tmp/aqf-iocs/alerts.json")" = "$(alert_summary "$tmp/aqf-direct/alerts.json")" ] ||
  { echo "FAIL: check-iocs and the direct run disagree"; failures=$((failures+1)); }
detected=$(cd "$tmp/aqf-direct" && ls -- *_detected.json)
[ "$detected" = "$(cd "$tmp/aqf-iocs" && ls -- *_detected.json)" ] && [ "$(echo "$detected" | wc -l)" = 6 ] ||
  { echo "FAIL: other _detected.json files than the direct run's"; failures=$((failures+1)); }
for f in $detected; do
  cmp -s "$tmp/aqf-direct/$f" "$tmp/aqf-iocs/$f" ||
    { echo "FAIL: $f differs from the direct run's"; failures=$((failures+1)); }
done
finish
