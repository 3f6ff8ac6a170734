#!/usr/bin/env bash
# Create or update the project's environment: .venv (Python, from requirements.lock),
# node_modules (KaTeX and Pyodide, from package-lock.json), Debian's fonts-noto-cjk (the Korean
# figures' Hangul) and, with --browser, Debian's Chromium.
# Idempotent: a second run with unchanged lock files installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
UV_VERSION=0.13.8   # the one place the installer's version is pinned
VENV=.venv
STAMP=$VENV/.setup-stamp
want=$(cat requirements.lock pyproject.toml package-lock.json | sha256sum | cut -d' ' -f1)

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi

if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ] || [ ! -d node_modules/katex ]; then
  if [ ! -x "$VENV/bin/uv" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" \
      || echo "setup: could not install uv; falling back to pip"
  fi
  if [ -x "$VENV/bin/uv" ]; then
    "$VENV/bin/uv" pip sync --quiet --python "$VENV/bin/python" requirements.lock
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
  else
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
  fi
  # KaTeX for offline math, at the version pinned in package-lock.json (no URLs in it).
  npm ci --silent --no-audit --no-fund
  echo "$want" > "$STAMP"
  echo "setup: environment ready"
fi

CHROMIUM=${BACKPROP_BOOK_CHROMIUM:-/usr/bin/chromium}
if [ "${1:-}" = "--browser" ] && [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    # Real Fashion-MNIST IDX files for the full-size data test (local files, nothing downloaded at run time).
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null || true
  else
    echo "setup: the browser tests need /usr/bin/chromium; install it with: sudo apt-get install chromium" >&2
    exit 1
  fi
fi

# Hangul: the Korean edition's figures (matplotlib draws their text as paths, with Noto Sans CJK
# KR; src/backprop_book/training/svg.py) and its screenshots and PDF (Chromium) need a CJK font
# on the machine (never a web font). Every set-up checks it, so `make docs` and `make serve` too.
if command -v fc-list >/dev/null && [ -n "$(fc-list ':lang=ko:family=Noto Sans CJK KR' 2>/dev/null)" ]; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian's fonts-noto-cjk for the Korean edition's figures and pages"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
  rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"/fontlist-*.json  # matplotlib must see it
else
  echo "setup: the Korean edition's figures need the Noto Sans CJK KR font (Debian's" \
    "fonts-noto-cjk); install it with: sudo apt-get install fonts-noto-cjk" >&2
  exit 1
fi
