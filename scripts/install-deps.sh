#!/usr/bin/env bash
# Installs the Debian packages spyscan needs to build and test, only when
# missing (so a ready machine does no network I/O). Needs root or sudo.
set -euo pipefail

pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libsqlite3-dev libjansson-dev libssl-dev libarchive-dev zlib1g-dev
      libcurl4-openssl-dev libpsl-dev libplist-dev libyaml-dev libcmocka-dev sqlite3
      tzdata)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "spyscan: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
