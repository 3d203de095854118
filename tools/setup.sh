#!/usr/bin/env bash
# Install what gradex needs on a fresh Debian machine, once; later runs are quick.
# - Debian packages: pango/harfbuzz (WeasyPrint), libharfbuzz-subset0 (font
#   subsetting), poppler-utils (tests render PDF pages to PNG), chromium
#   (browser tests and screenshots).
# - A virtual environment in .venv with gradex and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium fontconfig"
missing=""
for p in $DEBS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.gradex-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing gradex and test tools into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  .venv/bin/python -c "import generator, weasyprint, sympy, ziamath, pytest" 
  echo "$want" > "$stamp"
fi
