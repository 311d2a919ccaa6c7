#!/usr/bin/env bash
# check-iocs from the command line: bad inputs and the output-folder rules of
# design.md §3 (never inside the input, never a non-empty folder without --force).
set -e
. "$(dirname "$0")/lib.sh"
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
finish
