#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (as root) or an existing checkout:
# system packages, then the project's virtualenv in .venv/ with preaudit installed editable.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# OCR: tesseract with English, Simplified Chinese and orientation data; a CJK font so the
# sample generator can draw Chinese documents
tesseract --list-langs 2>/dev/null | grep -qx chi_sim || need_apt+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need_apt+=(fonts-wqy-microhei)
# the report's tests open it in a real browser: Debian's chromium, driven by playwright
command -v chromium >/dev/null || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Re-install only when the project's declared dependencies changed since the last install.
stamp=.venv/.preaudit-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
