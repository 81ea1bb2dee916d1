#!/usr/bin/env bash
# Quick start, second command: install what is missing (GDAL, Chromium, QGIS), check what the
# code promises (formatting, lints with warnings as errors, documentation without warnings) and
# run the whole test suite, the QGIS and browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
echo "== cargo fmt --check"
cargo fmt --all --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --locked --all-targets -- -D warnings
echo "== cargo doc --no-deps (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps
echo "== cargo test --all-targets"
cargo test --locked --all-targets "$@"
