#!/usr/bin/env bash
# Quick start, first command: install what is missing, build, and plan the bundled Binh Duong
# scenario into maps/binh-duong/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --locked
target/release/relocate plan "$@"
