#!/usr/bin/env bash
# Set up (if needed), then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 "$@"
