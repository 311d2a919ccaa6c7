#!/usr/bin/env bash
# ios check-backup from the command line: the exit codes of design.md §5 on
# the sample backup and on bad inputs, each with one line naming the problem.
set -e
. "$(dirname "$0")/lib.sh"
: "${SPYSCAN_SAMPLE_BACKUP:?}"
demo="$SPYSCAN_SOURCE_DIR/samples/demo-indicators.stix2"
sample="$SPYSCAN_SAMPLE_BACKUP"

# ($tmp/out and $tmp/err hold the captured console: results go to $tmp/res)
expect_exit 1 -- ios check-backup --no-default-iocs -i "$demo" -o "$tmp/res" "$sample"
expect_in "CRITICAL ALERT" "$err" "alerts on the console"
expect_in "Device: Sample iPhone (iPhone14,2), iOS 16.5 (20F66), backup of 2023-06-14" "$err" "device line"
expect_in "SMS                            ok" "$err" "progress line per module"
expect_in "spyscan produced 6 CRITICAL alerts." "$out" "final table"
[ -s "$tmp/res/alerts.json" ] || { echo "FAIL: no alerts.json"; failures=$((failures+1)); }
[ -s "$tmp/res/sms.json" ] || { echo "FAIL: no sms.json"; failures=$((failures+1)); }

# No indicators: heuristics only; the sample's heuristics raise nothing severe.
expect_exit 0 -- ios check-backup --no-default-iocs "$sample"

expect_exit 0 -- ios check-backup -l
expect_in "SafariHistory" "$out" "module list"
expect_exit 1 -- ios check-backup --no-default-iocs -i "$demo" -m TCC -o "$tmp/tcc" "$sample"
[ -s "$tmp/tcc/tcc.json" ] && [ ! -e "$tmp/tcc/sms.json" ] || { echo "FAIL: -m TCC ran other modules"; failures=$((failures+1)); }
expect_exit 2 -- ios check-backup --no-default-iocs -m NoSuchModule "$sample"

mkdir -p "$tmp/empty"
expect_exit 3 -- ios check-backup --no-default-iocs "$tmp/empty"
expect_in "does not appear to be an iTunes backup" "$err" "not a backup"
expect_exit 3 -- ios check-backup --no-default-iocs "$tmp/missing"

cp -r "$sample" "$tmp/twice-a" && cp -r "$sample" "$tmp/twice-b"
mkdir -p "$tmp/two" && mv "$tmp/twice-a" "$tmp/twice-b" "$tmp/two/"
expect_exit 3 -- ios check-backup --no-default-iocs "$tmp/two"
expect_in "multiple iTunes backups" "$err" "two backups"
mkdir -p "$tmp/one" && cp -r "$sample" "$tmp/one/00008110-000A1B2C3D4E5F6A"
expect_exit 1 -- ios check-backup --no-default-iocs -i "$demo" "$tmp/one"
expect_in "Found iTunes backup in subfolder" "$err" "backup in a sub-folder"

cp -r "$sample" "$tmp/corrupt"
printf 'this is not a database, only text long enough to pass the first checks.........................' \
  > "$tmp/corrupt/Manifest.db"
expect_exit 3 -- ios check-backup --no-default-iocs "$tmp/corrupt"
expect_in "Manifest.db" "$err" "corrupt Manifest.db named"

expect_exit 2 -- ios check-backup --no-default-iocs -o "$sample/results" "$sample"
[ ! -e "$sample/results" ] || { echo "FAIL: output created inside the evidence"; failures=$((failures+1)); }
finish
