#!/usr/bin/env bash
# Installs what is missing, builds, and runs spyscan on data bundled with the
# project (the README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
set -x
./build/spyscan iocs --no-default-iocs -i samples/demo-indicators.stix2
