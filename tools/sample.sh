#!/usr/bin/env bash
# Set up (if needed), then write a sample quiz into output/: sheet and key (HTML and PDF),
# Bangla and English side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/gradex generate --family scalar-rnn --students 1 --seed 2026 --lang both --format all --out output --force "$@"
ls -1 output
