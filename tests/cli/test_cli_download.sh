#!/usr/bin/env bash
# download-iocs against a local index (file:// only: tests never use the
# network), then a plain `spyscan iocs` finds the downloaded file.
set -e
. "$(dirname "$0")/lib.sh"
demo="$SPYSCAN_SOURCE_DIR/samples/demo-indicators.stix2"
mkdir -p "$tmp/src"
cp "$demo" "$tmp/src/demo.stix2"
printf 'not a bundle' > "$tmp/src/broken.stix2"
cat > "$tmp/index.yaml" <<YAML
indicators:
  -
    type: download
    name: Demo indicators
    download_url: file://$tmp/src/demo.stix2
  -
    type: download
    name: Broken file
    download_url: file://$tmp/src/broken.stix2
  -
    type: download
    name: Missing file
    download_url: file://$tmp/src/missing.stix2
  -
    type: github
    name: No way to download
YAML
export XDG_DATA_HOME="$tmp/xdg"
expect_exit 4 -- ios download-iocs --index-url "file://$tmp/index.yaml"
expect_in "Downloaded 1 indicator file(s)" "$out" "download summary"
expect_in "Could not find a way to download indicator file for No way to download" "$err" "entry without URL"
dest="$tmp/xdg/spyscan/indicators"
saved=$(ls "$dest")
[ "$(echo "$saved" | wc -l)" -eq 1 ] || { echo "FAIL: expected one saved file, got: $saved"; failures=$((failures+1)); }
[ "$(stat -c %a "$dest")" = 700 ] || { echo "FAIL: folder not 0700"; failures=$((failures+1)); }
[ "$(stat -c %a "$dest/$saved")" = 600 ] || { echo "FAIL: file not 0600"; failures=$((failures+1)); }
[ -f "$tmp/xdg/spyscan/latest_indicators_update" ] || { echo "FAIL: no update stamp"; failures=$((failures+1)); }

expect_exit 0 -- iocs
expect_in "SpyscanDemo" "$out" "downloaded file loaded by default"

expect_exit 3 -- android download-iocs --index-url "file://$tmp/nowhere.yaml"
printf 'just: [a, list' > "$tmp/bad.yaml"
expect_exit 3 -- android download-iocs --index-url "file://$tmp/bad.yaml"
finish
