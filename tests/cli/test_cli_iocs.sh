#!/usr/bin/env bash
# spyscan iocs: counts per type, and one clear line per bad indicator file.
set -e
. "$(dirname "$0")/lib.sh"
demo="$SPYSCAN_SOURCE_DIR/samples/demo-indicators.stix2"

expect_exit 0 -- iocs --no-default-iocs -i "$demo"
expect_in "SpyscanDemo (demo-indicators.stix2): 13 indicators" "$out" "demo collection"
expect_in "domain-name:value" "$out" "per-type counts"

expect_exit 2 -- iocs --no-default-iocs -i "$tmp/missing.stix2"
expect_in "missing.stix2" "$err" "missing file message"

printf 'not json at all' > "$tmp/garbage.stix2"
expect_exit 3 -- iocs --no-default-iocs -i "$tmp/garbage.stix2"
expect_in "garbage.stix2" "$err" "non-JSON message"
[ "$(grep -c . "$tmp/err")" -eq 1 ] || { echo "FAIL: non-JSON file should give one line"; cat "$tmp/err"; failures=$((failures+1)); }

: > "$tmp/empty.stix2"
expect_exit 3 -- iocs --no-default-iocs -i "$tmp/empty.stix2"
expect_in "empty.stix2" "$err" "empty file message"

printf 'weather4free.com\n# a comment\n\nbadsite.example.net\n' > "$tmp/domains.txt"
expect_exit 0 -- iocs --no-default-iocs --ioc-list "domain=$tmp/domains.txt"
expect_in "2 indicators" "$out" "plain list"
expect_exit 2 -- iocs --no-default-iocs --ioc-list "nonsense"

# The environment sources are read (design.md §4) unless --no-default-iocs.
SPYSCAN_IOCS="$demo" expect_exit 0 -- iocs
expect_in "SpyscanDemo" "$out" "SPYSCAN_IOCS"
SPYSCAN_IOCS="$demo" expect_exit 0 -- iocs --no-default-iocs
case "$out" in *SpyscanDemo*) echo "FAIL: --no-default-iocs loaded SPYSCAN_IOCS"; failures=$((failures+1));; esac

# Not-yet-available commands and refused options.
expect_exit 2 -- ios check-backup --virustotal /tmp
finish
