#!/usr/bin/env bash
# Installs what relocate needs on a Debian/Ubuntu machine that has only Rust:
#   scripts/setup.sh          GDAL (development package and tools), pkg-config and gcc, to build and run
#   scripts/setup.sh --test   also Chromium (report test) and QGIS with PyQGIS (QGIS test)
# Installs only what is missing; uses sudo when not root.
set -euo pipefail

# gcc: the C compiler that builds mimalloc (and links Rust).
packages=(libgdal-dev gdal-bin pkg-config gcc)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium qgis python3-qgis)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing: ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "error: cargo not found; install Rust first (https://rustup.rs)" >&2
  exit 1
fi

# The test command also checks formatting, lints and docs: rustfmt and clippy come with a
# default rustup install, but not with a minimal one.
if [[ "${1:-}" == "--test" ]] && command -v rustup >/dev/null; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
      rustup component add "$component"
    fi
  done
fi
