#!/usr/bin/env bash
# Quick start, second command: install what is missing (GDAL, Chromium, QGIS) and run the whole
# test suite, the QGIS and browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
cargo test --locked --all-targets "$@"
