# Helpers for the Android command-line tests that load indicators (sourced
# after lib.sh by test_cli_android.sh and test_cli_check_iocs.sh). The
# fixtures come from tests/fixtures/android/cli/make_ioc_fixtures.py: five
# real indicators (NoviSpy, RCS Lab, ResidentBat) planted in an AndroidQF
# acquisition and its bug report, each next to a near-miss decoy.
ioc_fx="$SPYSCAN_SOURCE_DIR/tests/fixtures/android/cli"
ioc_stix="$ioc_fx/indicators.stix2"
ioc_uuid=7d0c61e2-5b0a-4f4e-8c1b-2a9e3f4d5c6b
novispy_apk=54ee2c4f3e2396b6f92def135d68abd35d63ca7f9c304633a36f705ba4728cb7
residentbat_cert=18afc5c6bfaee504a26291f6bf3e6f823dbedd54bba0c4acac2e7c2414b3e24d

# What alerts.json must hold, one line per alert: level, module, matched
# value ("-" for a heuristic alert), sorted; a check-androidqf run holds the
# bug report's alerts too (its nested run).
# The MEDIUM "installed via adb" alert of com.serv.services carries the app
# id its record matched later: MVT promotes the record's matched_indicator
# into an alert that has none (spec/outputs.md §3.2).
bugreport_alerts="CRITICAL dumpsys_accessibility com.accesibilityservice
CRITICAL dumpsys_packages com.androidservices.support
MEDIUM dumpsys_accessibility -
MEDIUM dumpsys_get_prop -"
androidqf_alerts=$(printf '%s\n' "$bugreport_alerts" \
  "CRITICAL aqf_files $novispy_apk" "CRITICAL aqf_packages $residentbat_cert" \
  "CRITICAL aqf_packages com.serv.services" "MEDIUM aqf_get_prop -" \
  "MEDIUM aqf_packages com.serv.services" |
  LC_ALL=C sort)

# expect_row REGEX HAYSTACK NAME: a whole line of HAYSTACK, with runs of
# spaces squeezed to one, matches REGEX (table padding may change, values not).
expect_row() {
  printf '%s\n' "$2" | tr -s ' ' | grep -Eqx -- "$1" ||
    { echo "FAIL: $3 lacks a line matching '$1'"; failures=$((failures + 1)); }
}

expect_not_in() { # TEXT HAYSTACK NAME
  case "$2" in
    *"$1"*) echo "FAIL: $3 holds '$1'"; failures=$((failures + 1)) ;;
  esac
}

# alert_summary FILE: level, module and matched value of each alert in an
# alerts.json (written with 4-space indentation), sorted. awk, not jq: the
# suite needs no JSON tool.
alert_summary() {
  awk '/^    \{/ { level = module = value = ""; inside = 0 }
       /^        "level": /  { level = $2 }
       /^        "module": / { module = $2 }
       /^        "matched_indicator": \{/ { inside = 1 }
       inside && /^            "value": / { value = $2 }
       /^        \}/ { inside = 0 }
       /^    \}/ { gsub(/[",]/, "", level); gsub(/[",]/, "", module); gsub(/[",]/, "", value)
                   print level, module, (value == "" ? "-" : value) }' "$1" | LC_ALL=C sort
}

# expect_alerts DIR EXPECTED NAME: alerts.json in DIR holds exactly EXPECTED.
expect_alerts() {
  local got
  got=$(alert_summary "$1/alerts.json" 2>/dev/null)
  [ "$got" = "$2" ] || { echo "FAIL: $3: alerts.json differs (-expected +found)"
    diff <(echo "$2") <(echo "$got") | grep '^[<>]'; failures=$((failures + 1)); }
}

# expect_no_decoys DIR CONSOLE NAME: no near-miss value was reported.
expect_no_decoys() {
  local decoy alerts
  alerts=$(cat "$1/alerts.json" 2>/dev/null)
  for decoy in com.serv.services.helper "${novispy_apk%7}8" update2.apk \
               '"com.androidservices"'; do
    expect_not_in "$decoy" "$alerts" "$3 alerts.json"
    expect_not_in "$decoy" "$(grep ALERT <<<"$2")" "$3 alert lines"
  done
}

# expect_detection_lines CONSOLE NAME [androidqf]: the CRITICAL lines of the
# bug report's detections, and with 'androidqf' those of AndroidQF files.
expect_detection_lines() {
  local crit="CRITICAL ALERT [spyscan.modules"
  expect_in "$crit.dumpsys_accessibility] Found a known suspicious app with ID \"com.accesibilityservice\" matching indicators from \"NoviSpy\"" "$1" "$2"
  expect_in "$crit.dumpsys_packages] Found a known suspicious app with ID \"com.androidservices.support\" matching indicators from \"RCSLab\"" "$1" "$2"
  [ "${3:-}" = androidqf ] || return 0
  expect_in "$crit.aqf_packages] Found a known suspicious app with ID \"com.serv.services\" matching indicators from \"NoviSpy\"" "$1" "$2"
  expect_in "$crit.aqf_packages] Found a known suspicious app certfificate with hash \"$residentbat_cert\" matching indicators from \"ResidentBat\"" "$1" "$2"
  expect_in "$crit.aqf_files] Found a known suspicious file with hash \"$novispy_apk\" matching indicators from \"NoviSpy\"" "$1" "$2"
}

# expect_detection_table CONSOLE(stdout) NAME [androidqf]: the final table rows
# of the detecting modules (status, records, INFO LOW MED HIGH CRIT) and the totals.
expect_detection_table() {
  local s='[0-9]+\.[0-9]{3}'
  expect_row "DumpsysAccessibility ok 2 0 0 1 0 1 $s" "$1" "$2 table"
  expect_row "DumpsysGetProp ok 4 0 0 1 0 0 $s" "$1" "$2 table"
  expect_row "DumpsysPackages ok 3 0 0 0 0 1 $s" "$1" "$2 table"
  if [ "${3:-}" = androidqf ]; then
    expect_row "AQFPackages ok 4 0 0 1 0 2 $s" "$1" "$2 table"
    expect_row "AQFGetProp ok 4 0 0 1 0 0 $s" "$1" "$2 table"
    expect_row "AQFFiles ok 3 0 0 0 0 1 $s" "$1" "$2 table"
    expect_in "spyscan produced 4 MEDIUM alerts." "$1" "$2 totals"
    expect_in "spyscan produced 5 CRITICAL alerts." "$1" "$2 totals"
  else
    expect_in "spyscan produced 2 MEDIUM alerts." "$1" "$2 totals"
    expect_in "spyscan produced 2 CRITICAL alerts." "$1" "$2 totals"
  fi
  expect_in "spyscan produced 0 HIGH alerts." "$1" "$2 totals"
  expect_in "WARNING: spyscan produced HIGH or CRITICAL alerts." "$1" "$2 closing warning"
}
