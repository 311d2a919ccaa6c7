#!/usr/bin/env bash
# The no-write proof (design.md §3, §8): the real `spyscan ios check-backup`
# runs on the bundled sample backup under an LD_PRELOAD shim that records
# every call able to create, change, rename or remove a file
# (tests/shim/write_spy.c). Every recorded path must be inside the output
# folder: nothing in the backup, nothing beside it, nothing in TMPDIR. The
# shim must also have recorded the output files, so the test can fail.
set -e
. "$(dirname "$0")/lib.sh"
: "${SPYSCAN_WRITE_SPY:?SPYSCAN_WRITE_SPY must name the shim library}"
: "${SPYSCAN_SAMPLE_BACKUP:?SPYSCAN_SAMPLE_BACKUP must name the sample backup}"
sample=$(realpath "$SPYSCAN_SAMPLE_BACKUP")
[ -f "$sample/Manifest.db" ] || { echo "FAIL: no sample backup at $sample"; exit 1; }

# Under AddressSanitizer the sanitizer runtime must be the first library
# loaded, which LD_PRELOAD of another library breaks: skip there.
if ldd "$SPYSCAN_BIN" 2>/dev/null | grep -q 'libasan'; then
  echo "skipped: spyscan is built with AddressSanitizer (LD_PRELOAD conflicts with its runtime)"
  exit 77
fi
if ! LD_PRELOAD="$SPYSCAN_WRITE_SPY" "$SPYSCAN_BIN" version >/dev/null 2>"$tmp/preload.err"; then
  if grep -qiE 'asan|sanitizer' "$tmp/preload.err"; then
    echo "skipped: LD_PRELOAD conflicts with the sanitizer runtime"; exit 77
  fi
  echo "FAIL: spyscan does not start under the shim"; cat "$tmp/preload.err"; exit 1
fi

snapshot() { # every file and folder under $1 with mode, size, mtime and hash
  (cd "$1" && find . -printf '%p %m %s %T@\n' | LC_ALL=C sort &&
   find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
parent=$(dirname "$sample")
before_tree=$(snapshot "$sample")
before_beside=$(ls -A "$parent")

mkdir "$tmp/run" "$tmp/tmpdir"
out="$tmp/run/results"
log="$tmp/spy.log"
set +e
SPYSCAN_WRITE_SPY_LOG="$log" TMPDIR="$tmp/tmpdir" LD_PRELOAD="$SPYSCAN_WRITE_SPY" \
  "$SPYSCAN_BIN" ios check-backup --no-default-iocs \
  -i "$SPYSCAN_SOURCE_DIR/samples/demo-indicators.stix2" -o "$out" "$sample" >"$tmp/out" 2>"$tmp/err"
code=$?
set -e
# 0 (no module matched: none registered yet) or 1 (the planted demo
# indicators found); anything else is a failed run.
if [ "$code" != 0 ] && [ "$code" != 1 ]; then
  echo "FAIL: check-backup exited $code"; cat "$tmp/err"; failures=$((failures + 1))
fi

# The shim saw the outputs being written (else it recorded nothing at all).
[ -s "$log" ] || { echo "FAIL: the shim recorded nothing"; failures=$((failures + 1)); }
recorded=$(cut -f2 "$log" 2>/dev/null | sort -u)
for f in info.json command.log; do
  grep -qx "$out/$f" <<<"$recorded" || {
    echo "FAIL: the shim did not record the writing of $out/$f"; failures=$((failures + 1)); }
done

# Every recorded path is the output folder or inside it. The one exception:
# creating the output folder like `mkdir -p` tries each existing ancestor and
# gets EEXIST (17), which changes nothing.
while IFS=$'\t' read -r call path result; do
  norm=$(realpath -m -- "$path")
  case "$norm" in
    "$out" | "$out"/*) continue ;;
  esac
  case "$call:$result:$out/" in
    mkdir:17:"$norm"/* | mkdirat:17:"$norm"/*) continue ;;
  esac
  echo "FAIL: $call outside the output folder: $path ($result)"; failures=$((failures + 1))
done <"$log"

# And nothing changed where the shim could not look (direct syscalls).
[ -z "$(ls -A "$tmp/tmpdir")" ] || {
  echo "FAIL: files left in TMPDIR:"; ls -A "$tmp/tmpdir"; failures=$((failures + 1)); }
[ "$(snapshot "$sample")" = "$before_tree" ] || {
  echo "FAIL: the sample backup changed"; failures=$((failures + 1)); }
[ "$(ls -A "$parent")" = "$before_beside" ] || {
  echo "FAIL: something appeared beside the sample backup"; failures=$((failures + 1)); }
finish
