#!/usr/bin/env bash
# The command-line surface: help, version, exit codes of design.md §5.
set -e
. "$(dirname "$0")/lib.sh"

expect_exit 0 -- version
expect_in "spyscan " "$out" "version"
expect_exit 0 -- --help
expect_in "Exit codes:" "$out" "--help"
expect_exit 2 --
expect_exit 2 -- no-such-command
expect_exit 0 -- ios --help
expect_in "check-backup" "$out" "ios --help"
expect_exit 0 -- android --help
expect_in "check-androidqf" "$out" "android --help"
expect_exit 2 -- ios no-such-command
expect_exit 2 -- android check-adb
expect_in "check-androidqf" "$err" "check-adb message"
expect_exit 0 -- --disable-update-check --disable-indicator-update-check version
expect_exit 0 -- iocs --help
expect_in "--ioc-list" "$out" "iocs --help"
finish
