#!/usr/bin/env bash
# Installs what is missing, builds, and runs spyscan on data bundled with the
# project (the README's first command): the sample iPhone backup built from
# samples/ios-backup/ is checked against the demo indicators planted in it
# (samples/ios-backup/PLANTED.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
out="$(mktemp -d)/results"
set +e -x
./build/spyscan ios check-backup --no-default-iocs -i samples/demo-indicators.stix2 -o "$out" build/samples/ios-backup
code=$?
set -e +x
if [ "$code" -eq 1 ]; then
  echo "demo: exit code 1 = the check completed and found indicator matches: the demo indicators planted in the sample backup (see samples/ios-backup/PLANTED.md); results in $out"
  exit 0
fi
echo "demo: unexpected exit code $code (expected 1: the sample backup contains the demo indicators)" >&2
exit 1
