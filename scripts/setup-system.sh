#!/usr/bin/env bash
# Installs the Debian packages Spool needs: the code-interpreter sandbox (bubblewrap + CPython with
# numpy/pandas/matplotlib), CJK fonts, and for the tests Chromium and a PostgreSQL server. Idempotent; run as root.
set -euo pipefail

packages=(
  bubblewrap util-linux
  python3 python3-numpy python3-pandas python3-matplotlib
  fonts-nanum fonts-noto-cjk
  chromium
  postgresql
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup:system: all packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup:system: run as root to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup:system: installed ${missing[*]}"
