#!/usr/bin/env bash
# spyscan android check-intrusion-logs with the real binary: a folder and a
# ZIP of intrusion logs (with a ZIP inside), -t converting event times to
# the device's zone (and an unknown zone falling back to UTC), the
# AndroidQF nested run, and wrong input: one clear line, exit 3. Every
# input tree is hashed before and after: nothing may appear or change.
set -e
. "$(dirname "$0")/lib.sh"
fx="$SPYSCAN_SOURCE_DIR/tests/fixtures/android/intrusion_logs"
uuid=0b5c4a66-2a5e-4c5e-9d1a-3f7f1c2e9a10

snapshot() { (cd "$1" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort &&
  find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum); }
ev="$tmp/evidence"
mkdir -p "$ev/folder/2025" "$ev/qf/$uuid/intrusion_logs"
cp "$fx/logs.zip" "$ev/logs.zip"
printf '%s\n' '{"dns_event": {"event_time": 1735786800000, "hostname": "www.example.org", "package_name": "com.android.chrome"}}' \
  >"$ev/folder/2025/2025-01-02.txt"
cp "$fx/logs.zip" "$ev/folder/export.zip"
printf '[persist.sys.timezone]: [Europe/Berlin]\n' >"$ev/qf/$uuid/getprop.txt"
cp "$ev/folder/2025/2025-01-02.txt" "$ev/qf/$uuid/intrusion_logs/"
before=$(snapshot "$ev")

run() { expect_exit "$1" -- android "${@:2}" --no-default-iocs; }

# ---- good input ----------------------------------------------------------
run 0 check-intrusion-logs -t Europe/Berlin -o "$tmp/o1" "$ev/logs.zip"
expect_in "Checking intrusion logs at path" "$err" "check-intrusion-logs log"
expect_in "Intrusion log times are shown in the time zone Europe/Berlin" "$err" "-t accepted"
[ -f "$tmp/o1/info.json" ] || { echo "FAIL: no info.json"; failures=$((failures + 1)); }

run 0 check-intrusion-logs -o "$tmp/o2" "$ev/folder"
run 0 check-intrusion-logs -t Mars/Olympus_Mons -o "$tmp/o3" "$ev/folder"
expect_in "Could not apply device timezone 'Mars/Olympus_Mons', falling back to UTC" "$err" \
  "unknown zone"

# The three modules run on every input above.
for f in dns_event connect_event security_event; do
  for o in o1 o2; do
    [ -f "$tmp/$o/$f.json" ] || { echo "FAIL: no $o/$f.json"; failures=$((failures + 1)); }
  done
done
expect_in "2025-01-02 04:00:00.000000" "$(cat "$tmp/o1/dns_event.json")" "Berlin time (ms)"
expect_in "2025-07-02 05:00:00.123457" "$(cat "$tmp/o1/security_event.json")" "Berlin time (ns)"
expect_in "2025-01-02 03:00:00.000000" "$(cat "$tmp/o2/dns_event.json")" "UTC time"
expect_in "Failed to parse JSON on line 3 in Intrusion Logging/2025-01-02.txt" \
  "$(cat "$tmp/o1/command.log")" "bad line warned"
expect_in "Loaded 3 log files, parsed 6 lines (1 skipped)" "$(cat "$tmp/o2/command.log")" \
  "folder with a ZIP and a ZIP in it"
run 0 check-androidqf -o "$tmp/o4" "$ev/qf/$uuid"
expect_in "Loaded 1 log files, parsed 1 lines (0 skipped)" "$(cat "$tmp/o4/command.log")" \
  "nested logs parsed"
expect_in "2025-01-02 04:00:00.000000" "$(cat "$tmp/o4/dns_event.json")" "nested, device zone"
# The loading lines come once, before the first module's, every run.
load=$(grep -n "Loaded 3 log files" "$tmp/o2/command.log" | cut -d: -f1)
first=$(grep -n "Running module" "$tmp/o2/command.log" | head -1 | cut -d: -f1)
[ -n "$load" ] && [ -n "$first" ] && [ "$load" -lt "$first" ] ||
  { echo "FAIL: loading not logged before the modules"; failures=$((failures + 1)); }

# ---- wrong input: one line, exit 3 ---------------------------------------
run 3 check-intrusion-logs "$ev/folder/2025/2025-01-02.txt"
expect_in "intrusion logs must be a folder or a .zip file" "$err" "a .txt file"
[ "$(grep -c ERROR <<<"$err")" = 1 ] || { echo "FAIL: not one error line"; echo "$err"
  failures=$((failures + 1)); }
printf 'not a zip' >"$tmp/fake.zip"
run 3 check-intrusion-logs "$tmp/fake.zip"
expect_in "fake.zip: not a readable ZIP file" "$err" "a .zip that is not one"
run 3 check-intrusion-logs "$tmp/missing"
expect_in "no such file or folder" "$err" "missing path"

after=$(snapshot "$ev")
[ "$before" = "$after" ] || { echo "FAIL: the evidence changed"; failures=$((failures + 1)); }
finish
