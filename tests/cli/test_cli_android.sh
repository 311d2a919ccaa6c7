#!/usr/bin/env bash
# spyscan android check-bugreport / check-androidqf with the real binary:
# good acquisitions (ZIP and folder, the nested bug report, the device line,
# the closing ADB note) and bad input, each one clear line and a graded exit
# code (design.md §5): a missing path, an iOS backup, an empty folder, a
# folder that is no acquisition, a truncated ZIP, a ZIP bomb, members that
# escape, binary garbage as the dumpstate text. With indicators (real ones,
# tests/cli/android_iocs.sh): the exact detections of each module on the
# console, in the final table and in alerts.json, and no near-miss decoy.
# Every input tree is listed and hashed before and after: nothing may
# appear, change or vanish.
set -e
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/android_iocs.sh"
fx="$SPYSCAN_SOURCE_DIR/tests/fixtures/android/cli"
uuid=0b5c4a66-2a5e-4c5e-9d1a-3f7f1c2e9a10

snapshot() { # names, modes, sizes, times and hashes of everything under $1
  (cd "$1" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort &&
   find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}
ev="$tmp/evidence"
mkdir -p "$ev"
cp "$fx"/*.zip "$ev/"
cp -r "$fx/aqf_iocs" "$ev/"

# An unpacked bug report and an AndroidQF folder holding a bug report.
mkdir -p "$ev/br/FS/data/tombstones" "$ev/qf/$uuid/logs"
(cd "$ev/br" && printf 'dumpstate.txt\n' >main_entry.txt &&
 printf '%s\n' '------ SYSTEM PROPERTIES ------' '[ro.product.vendor.model]: [SM-S918B]' \
   '[ro.build.version.release]: [13]' '------' >dumpstate.txt &&
 printf 'x' >FS/data/tombstones/tombstone_00)
(cd "$ev/qf/$uuid" && printf '[ro.product.model]: [Pixel 8]\n[ro.build.version.release]: [15]\n' \
   >getprop.txt && printf '{"started": "2024-03-01T09:58:00Z"}' >acquisition.json &&
 printf 'log' >logs/kernel.log && cp "$fx/bugreport.zip" bugreport.zip)
before=$(snapshot "$ev"); before_tmp=$(ls -A "$tmp")

run() { expect_exit "$1" -- android "${@:2}" --no-default-iocs; }
# Exit codes of a completed check: 0/1, +4 if a module failed. Only for
# inputs where how far the modules get is not the point (see each use);
# good input must give exactly 0 (or 1 with findings).
completed() {
  case "$1" in 0|1|4|5) ;; *) echo "FAIL: $2 exited $1"; echo "$err" | tail -5
    failures=$((failures + 1)) ;; esac
}
run_any() {
  set +e; "$SPYSCAN_BIN" android "$@" --no-default-iocs >"$tmp/out" 2>"$tmp/err"; code=$?; set -e
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
}

# ---- good input ----------------------------------------------------------
sec='[0-9]+\.[0-9]{3}' # the Seconds column of the final table
run 0 check-bugreport -o "$tmp/o1" "$ev/bugreport.zip"
expect_in "Checking Android bug report at path" "$err" "check-bugreport log"
expect_in "Device: Pixel 7, Android 14, security patch 2024-02-05" "$err" "device line (ZIP)"
# One progress line per module as it ends, then the final table (issue #6:
# the same terminal experience as the iOS checks).
expect_row '\[ 7/13\] DumpsysGetProp ok 3 records, 1 alert \(0 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
  "progress line of a module with an alert"
expect_row '\[ 8/13\] DumpsysPackages ok 1 records, [0-9.]+ s' "$err" "progress line"
expect_row '\[11/13\] DumpsysADBState absent 0 records, [0-9.]+ s' "$err" "progress line (absent)"
expect_row '\[13/13\] Tombstones partial 0 records, [0-9.]+ s' "$err" "progress line (partial)"
expect_row "Module Status Records INFO LOW MED HIGH CRIT Seconds" "$out" "table header"
expect_row "DumpsysGetProp ok 3 0 0 1 0 0 $sec" "$out" "table row"
expect_row "DumpsysPackages ok 1 0 0 0 0 0 $sec" "$out" "table row"
expect_row "BugReportTimestamps ok 1 0 0 0 0 0 $sec" "$out" "table row"
expect_row "Tombstones partial 0 0 0 0 0 0 $sec" "$out" "table row (partial)"
expect_row " 1 unreadable entries skipped" "$out" "table note of the partial module"
expect_in "spyscan produced 1 MEDIUM alerts." "$out" "final totals"
expect_in "spyscan produced 0 CRITICAL alerts." "$out" "final totals"
expect_in "the absence of severe alerts does not prove the device is clean" "$out" "clean note"
[ -f "$tmp/o1/info.json" ] || { echo "FAIL: no info.json"; failures=$((failures + 1)); }
grep -q '"sha256"' "$tmp/o1/info.json" ||
  { echo "FAIL: check-bugreport info.json has no input hash"; failures=$((failures + 1)); }

run 0 check-bugreport "$ev/br"
expect_in "Device: SM-S918B, Android 13, security patch unknown" "$err" "device line (folder)"

run 0 check-androidqf -o "$tmp/o2" "$ev/qf/$uuid"
expect_in "Checking AndroidQF acquisition at path" "$err" "check-androidqf log"
expect_in "Device: Pixel 8, Android 15" "$err" "device line (AndroidQF)"
expect_in "Running the bug report modules on $uuid/bugreport.zip" "$err" "nested bug report"
expect_in "disable Developer options and USB debugging (ADB)" "$out" "closing ADB note"

run 0 check-androidqf "$ev/androidqf.zip"
expect_in "Device: Pixel 7, Android 14, security patch 2024-02-05" "$err" "device line (AndroidQF ZIP)"
expect_in "Running the bug report modules on $uuid/bugreport.zip" "$err" "nested bug report (ZIP)"
expect_row '\[ 3/21\] AQFGetProp ok 3 records, 1 alert \(0 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
  "AndroidQF progress line"
expect_row '\[20/21\] BugReportTimestamps ok 1 records, [0-9.]+ s' "$err" "nested progress line"
expect_row "AQFPackages absent 0 0 0 0 0 0 $sec" "$out" "AndroidQF table row (absent)"
expect_row "AQFGetProp ok 3 0 0 1 0 0 $sec" "$out" "AndroidQF table row"
expect_row "DumpsysGetProp ok 3 0 0 1 0 0 $sec" "$out" "AndroidQF table row (nested)"
expect_in "spyscan produced 2 MEDIUM alerts." "$out" "AndroidQF final totals"

mkdir -p "$tmp/qf2/acq" && printf '[a]: [b]\n' >"$tmp/qf2/acq/getprop.txt"
run 0 check-androidqf "$tmp/qf2/acq"
expect_in "Device: unknown (no system properties in the acquisition)" "$err" "no device line"
expect_in "Skipping bugreport modules as no bugreport.zip found in AndroidQF data." "$err" \
  "missing nested bug report warning"

run 0 check-bugreport -l "$ev/bugreport.zip"
expect_in "Following is the list of available check-bugreport modules:" "$out" "-l"

# ---- indicators ------------------------------------------------------------
# Heuristics only: MEDIUM alerts (a sideloaded app, old patches, accessibility
# services) do not make the exit code 1.
aqf_iocs="$ev/aqf_iocs/$ioc_uuid"
run 0 check-androidqf -o "$tmp/i0" "$ev/androidqf_iocs.zip"
expect_in "Device: SM-A546B, Android 14, security patch 2024-10-01" "$err" "device line (indicator ZIP)"
expect_row "AQFPackages ok 4 0 0 1 0 0 $sec" "$out" "table row without indicators"
expect_row "DumpsysAccessibility ok 2 0 0 2 0 0 $sec" "$out" "table row without indicators"
expect_in "spyscan produced 5 MEDIUM alerts." "$out" "totals without indicators"
expect_in "spyscan produced 0 CRITICAL alerts." "$out" "totals without indicators"
expect_not_in "CRITICAL ALERT" "$err" "run without indicators"
expect_alerts "$tmp/i0" "MEDIUM aqf_get_prop -
MEDIUM aqf_packages -
MEDIUM dumpsys_accessibility -
MEDIUM dumpsys_accessibility -
MEDIUM dumpsys_get_prop -" "run without indicators"

n=0
for input in "$aqf_iocs" "$ev/androidqf_iocs.zip"; do # folder, then ZIP
  n=$((n + 1)); name="check-androidqf -i ${input##*/}"; o="$tmp/q$n"
  run 1 check-androidqf -i "$ioc_stix" -o "$o" "$input"
  expect_in "Loaded a total of 5 unique indicators" "$err" "$name"
  expect_in "Device: SM-A546B, Android 14, security patch 2024-10-01" "$err" "$name device line"
  expect_row '\[ 1/21\] AQFPackages ok 4 records, 3 alerts \(2 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
    "$name progress line"
  expect_row '\[ 5/21\] AQFFiles ok 3 records, 1 alert \(1 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
    "$name progress line"
  expect_row '\[ 9/21\] DumpsysAccessibility ok 2 records, 2 alerts \(1 HIGH/CRITICAL\), [0-9.]+ s' \
    "$err" "$name progress line (nested)"
  expect_row '\[16/21\] DumpsysPackages ok 3 records, 1 alert \(1 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
    "$name progress line (nested)"
  expect_in "The DumpsysActivities module produced no detections!" "$err" "$name"
  expect_detection_lines "$err" "$name" androidqf
  expect_detection_table "$out" "$name" androidqf
  expect_alerts "$o" "$androidqf_alerts" "$name"
  expect_no_decoys "$o" "$err" "$name"
  if ! grep -q '"/storage/emulated/0/Download/update.apk"' "$o/aqf_files_detected.json" 2>/dev/null ||
     grep -q "update2.apk" "$o/aqf_files_detected.json"; then
    echo "FAIL: $name aqf_files_detected.json"; failures=$((failures + 1))
  fi
done

run 1 check-bugreport -i "$ioc_stix" -o "$tmp/i1" "$ev/bugreport_iocs.zip"
expect_in "Device: SM-A546B, Android 14, security patch 2024-10-01" "$err" "check-bugreport -i device line"
expect_row '\[ 1/13\] DumpsysAccessibility ok 2 records, 2 alerts \(1 HIGH/CRITICAL\), [0-9.]+ s' \
  "$err" "check-bugreport -i progress line"
expect_row '\[ 8/13\] DumpsysPackages ok 3 records, 1 alert \(1 HIGH/CRITICAL\), [0-9.]+ s' "$err" \
  "check-bugreport -i progress line"
expect_detection_lines "$err" "check-bugreport -i"
expect_not_in "aqf_" "$err" "check-bugreport -i (AndroidQF modules)"
expect_detection_table "$out" "check-bugreport -i"
expect_alerts "$tmp/i1" "$bugreport_alerts" "check-bugreport -i"
expect_no_decoys "$tmp/i1" "$err" "check-bugreport -i"

# ---- bad input -----------------------------------------------------------
run 3 check-bugreport "$tmp/missing"
expect_in "no such file or folder" "$err" "missing path"

mkdir -p "$tmp/ios" && printf 'SQLite format 3\0' >"$tmp/ios/Manifest.db" &&
  printf '<plist/>' >"$tmp/ios/Info.plist"
run 3 check-bugreport "$tmp/ios"
expect_in "this is an iTunes backup, not an Android bug report" "$err" "iOS backup (bugreport)"
run 3 check-androidqf "$tmp/ios"
expect_in "this is an iTunes backup, not an AndroidQF acquisition" "$err" "iOS backup (androidqf)"

run 3 check-androidqf "$ev/bugreport.zip"
expect_in "this is an Android bug report, not an AndroidQF acquisition" "$err" "bug report to aqf"

mkdir -p "$tmp/empty"
run 3 check-bugreport "$tmp/empty"
expect_in "holds no files" "$err" "empty folder"

mkdir -p "$tmp/photos" && printf 'jpeg' >"$tmp/photos/IMG_0001.jpg"
run 3 check-androidqf "$tmp/photos"
expect_in "does not look like an AndroidQF acquisition" "$err" "not an acquisition"

run 3 check-bugreport "$ev/truncated.zip"
expect_in "Invalid bugreport archive: truncated or damaged ZIP" "$err" "truncated ZIP"

printf 'ANDROID BACKUP\n5\n1\nnone\n' >"$tmp/backup.ab"
run 3 check-bugreport "$tmp/backup.ab"
expect_in "an Android backup (.ab), not a ZIP" "$err" "backup given to check-bugreport"

# The dumpstate text is refused: the modules reading it fail, the others
# run, and the exit code says so (4 = completed with failed modules).
run 4 check-bugreport "$ev/bomb.zip"
expect_in "member dumpstate.txt: expands more than 1000:1 (a ZIP bomb?)" "$err" "ZIP bomb"
expect_row '\[ 8/13\] DumpsysPackages FAILED 0 records, [0-9.]+ s' "$err" "ZIP bomb progress line"
expect_row "BugReportTimestamps ok 1 0 0 0 0 0 $sec" "$out" "ZIP bomb table row"

# The hostile members are left out; the rest is a good bug report.
run 0 check-bugreport -o "$tmp/o3" "$ev/hostile.zip"
expect_in "leaving out member '../../escape.txt': a path escaping the archive" "$err" "'..' member"
expect_in "leaving out member '/etc/cron.d/evil': an absolute path" "$err" "absolute member"
expect_in "leaving out member 'FS/data/link': a symbolic link" "$err" "symlink member"
[ ! -e "$tmp/escape.txt" ] && [ ! -e "$ev/../escape.txt" ] ||
  { echo "FAIL: an escaping member was written"; failures=$((failures + 1)); }

mkdir -p "$tmp/garbage"
printf 'dumpstate.txt\n' >"$tmp/garbage/main_entry.txt"
head -c 200000 /dev/urandom >"$tmp/garbage/dumpstate.txt"
printf '\nDUMP OF SERVICE package:\n\377\376\0binary\n' >>"$tmp/garbage/dumpstate.txt"
# Lenient on purpose: whether a parser reads random bytes as an empty
# section or gives up is not the point; a graded exit (no crash) is.
run_any check-bugreport "$tmp/garbage"
completed "$code" "binary dumpstate"

# check-iocs on saved results where a module's file is there but is no
# regular file (a FIFO, a folder): never opened, and that module fails with
# one line naming the file (it used to be skipped silently, as if the
# re-check were complete).
cp -r "$tmp/o1" "$tmp/r1"
rm "$tmp/r1/dumpsys_packages.json" "$tmp/r1/dumpsys_get_prop.json"
mkfifo "$tmp/r1/dumpsys_packages.json" && mkdir "$tmp/r1/dumpsys_get_prop.json"
run 4 check-iocs "$tmp/r1"
expect_in "ERROR          [spyscan.modules.dumpsys_packages] $tmp/r1/dumpsys_packages.json: not a regular file" \
  "$err" "check-iocs FIFO"
expect_in "ERROR          [spyscan.modules.dumpsys_get_prop] $tmp/r1/dumpsys_get_prop.json: not a regular file" \
  "$err" "check-iocs folder"
expect_row "DumpsysPackages FAILED 0 0 0 0 0 0 $sec" "$out" "check-iocs table row (FIFO)"
expect_row "DumpsysGetProp FAILED 0 0 0 0 0 0 $sec" "$out" "check-iocs table row (folder)"

# ---- the write shim: every file call of check-androidqf lands in -o ---------
shim_check() { # input, output folder
  local log="$tmp/spy.log"; rm -f "$log"
  set +e
  SPYSCAN_WRITE_SPY_LOG="$log" TMPDIR="$tmp/tmpdir" LD_PRELOAD="$SPYSCAN_WRITE_SPY" \
    "$SPYSCAN_BIN" android check-androidqf --no-default-iocs -o "$2" "$1" >/dev/null 2>&1
  set -e
  grep -q "$2/info.json" "$log" || { echo "FAIL: the shim recorded no output for $1"
    failures=$((failures + 1)); }
  while IFS=$'\t' read -r call path result; do
    norm=$(realpath -m -- "$path")
    case "$norm" in "$2" | "$2"/*) continue ;; esac
    case "$call:$result:$2/" in mkdir:17:"$norm"/* | mkdirat:17:"$norm"/*) continue ;; esac
    echo "FAIL: $call outside the output folder: $path ($result)"; failures=$((failures + 1))
  done <"$log"
}
if [ -f "${SPYSCAN_WRITE_SPY:-}" ] && ! ldd "$SPYSCAN_BIN" 2>/dev/null | grep -q libasan &&
   LD_PRELOAD="$SPYSCAN_WRITE_SPY" "$SPYSCAN_BIN" version >/dev/null 2>&1; then
  mkdir -p "$tmp/tmpdir"
  shim_check "$ev/qf/$uuid" "$tmp/s1"
  shim_check "$ev/androidqf.zip" "$tmp/s2"
  [ -z "$(ls -A "$tmp/tmpdir")" ] || { echo "FAIL: files left in TMPDIR"; failures=$((failures + 1)); }
fi

# ---- nothing written in or beside the evidence -----------------------------
after=$(snapshot "$ev")
[ "$before" = "$after" ] || { echo "FAIL: the evidence tree changed"
  diff <(echo "$before") <(echo "$after") | head; failures=$((failures + 1)); }
for f in $(ls -A "$tmp"); do
  case " $(echo $before_tmp) out err o1 o2 o3 i0 i1 q1 q2 qf2 r1 ios empty photos backup.ab garbage s1 s2 tmpdir spy.log " in
    *" $f "*) ;;
    *) echo "FAIL: unexpected file beside the evidence: $f"; failures=$((failures + 1)) ;;
  esac
done
finish
