#!/usr/bin/env bash
# android check-backup from the command line on an encrypted .ab
# (tests/fixtures/android/backup/encrypted.ab, password 123456): the right
# password (option or MVT's environment variable) gives exit 0 and the SMS
# records, a planted indicator exit 1; a wrong or missing password, or a
# damaged file, exit 3 with one line naming the file; the same backup
# nested in an AndroidQF folder; under the write shim
# (when usable) nothing is written outside the output folder, and the input
# folder is unchanged in every case.
set -e
. "$(dirname "$0")/lib.sh"
unset SPYSCAN_BACKUP_PASSWORD MVT_ANDROID_BACKUP_PASSWORD
in="$tmp/in"
mkdir "$in"
cp "$SPYSCAN_SOURCE_DIR/tests/fixtures/android/backup/encrypted.ab" "$in/backup.ab"
ab="$in/backup.ab"
snapshot() { (cd "$1" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort && sha256sum ./*); }
before=$(snapshot "$in")

expect_exit 0 -- android check-backup --no-default-iocs -p 123456 -o "$tmp/r1" "$ab"
expect_in "Android backup format 5, compressed, AES-256 encrypted: 2 files" "$err" "backup line"
expect_in "Extracted a total of 2 SMS & MMS messages" "$err" "SMS records"
grep -q '"isodate": "2024-03-01 10:00:00.000000"' "$tmp/r1/sms.json" ||
  { echo "FAIL: sms.json lacks the first message"; failures=$((failures + 1)); }
if grep -rqw 123456 "$tmp/r1"; then
  echo "FAIL: the password reached the output folder"; failures=$((failures + 1))
fi

# A planted indicator (the message's domain) and a decoy that must not match.
printf 'parcel-tracking.example\n' >"$tmp/bad-domains.txt"
printf 'tracking.example.org\n' >"$tmp/decoy-domains.txt"
expect_exit 1 -- android check-backup --no-default-iocs --ioc-list domain="$tmp/bad-domains.txt" \
  -p 123456 "$ab"
expect_in "parcel-tracking.example" "$err" "the planted indicator's alert"
expect_exit 0 -- android check-backup --no-default-iocs --ioc-list domain="$tmp/decoy-domains.txt" \
  -p 123456 "$ab"

MVT_ANDROID_BACKUP_PASSWORD=123456 expect_exit 0 -- android check-backup --no-default-iocs -n "$ab"
expect_in "Using backup password from MVT_ANDROID_BACKUP_PASSWORD environment variable" "$err" \
  "password from MVT's variable"

expect_exit 3 -- android check-backup --no-default-iocs -p 654321 "$ab"
expect_in "$ab: Invalid backup password" "$err" "wrong password"
expect_exit 3 -- android check-backup --no-default-iocs -n "$ab"
expect_in "$ab: Cannot decrypt backup because interactivity was disabled" "$err" "no password"

head -c 700 "$ab" >"$tmp/cut.ab"
expect_exit 3 -- android check-backup --no-default-iocs -p 123456 "$tmp/cut.ab"
expect_in "cut.ab: Impossible to parse this backup file: the encrypted data is damaged" "$err" \
  "damaged file"
printf 'ANDROID BACKUP\n' >"$tmp/alone.ab"
expect_exit 3 -- android check-backup --no-default-iocs "$tmp/alone.ab"
expect_in "alone.ab: Invalid backup format, file should be in .ab format" "$err" "not a backup"
expect_exit 3 -- android check-backup --no-default-iocs "$tmp/missing.ab"

# The same backup.ab inside an AndroidQF folder: the nested run (§1.3.3).
mkdir -p "$tmp/qf/acq"
cp "$ab" "$tmp/qf/acq/backup.ab"
printf '[ro.build.version.release]: [14]\n' >"$tmp/qf/acq/getprop.txt"
expect_exit 0 -- android check-androidqf --no-default-iocs -p 123456 -o "$tmp/r3" "$tmp/qf/acq"
expect_in "Running the backup modules on acq/backup.ab" "$err" "nested backup"
[ -s "$tmp/r3/sms.json" ] || { echo "FAIL: no sms.json from the nested backup"; failures=$((failures + 1)); }
expect_exit 3 -- android check-androidqf --no-default-iocs -p 654321 "$tmp/qf/acq"
expect_in "acq/backup.ab: Invalid backup password" "$err" "nested wrong password"
rm "$tmp/qf/acq/backup.ab"
expect_exit 0 -- android check-androidqf --no-default-iocs -n "$tmp/qf/acq"
expect_in "Skipping backup modules as no backup.ab found in AndroidQF data." "$err" "no backup.ab"

# Under the write shim: every created or changed path is in the output folder.
if [ -n "${SPYSCAN_WRITE_SPY:-}" ] && ! ldd "$SPYSCAN_BIN" 2>/dev/null | grep -q libasan; then
  out="$tmp/r2"
  log="$tmp/spy.log"
  mkdir "$tmp/tmpdir"
  set +e
  SPYSCAN_WRITE_SPY_LOG="$log" TMPDIR="$tmp/tmpdir" LD_PRELOAD="$SPYSCAN_WRITE_SPY" \
    "$SPYSCAN_BIN" android check-backup --no-default-iocs -p 123456 -o "$out" "$ab" \
    >/dev/null 2>&1
  code=$?
  set -e
  [ "$code" = 0 ] || { echo "FAIL: check-backup under the shim exited $code"; failures=$((failures + 1)); }
  grep -q "$out/sms.json" "$log" || { echo "FAIL: the shim saw no output"; failures=$((failures + 1)); }
  while IFS=$'\t' read -r call path result; do
    norm=$(realpath -m -- "$path")
    case "$norm" in "$out" | "$out"/*) continue ;; esac
    case "$call:$result:$out/" in mkdir:17:"$norm"/* | mkdirat:17:"$norm"/*) continue ;; esac
    echo "FAIL: $call outside the output folder: $path ($result)"; failures=$((failures + 1))
  done <"$log"
  [ -z "$(ls -A "$tmp/tmpdir")" ] || { echo "FAIL: files left in TMPDIR"; failures=$((failures + 1)); }
fi

[ "$(snapshot "$in")" = "$before" ] || { echo "FAIL: the input folder changed"; failures=$((failures + 1)); }
finish
