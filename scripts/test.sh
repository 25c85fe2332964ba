#!/usr/bin/env bash
# Set up (first time only) and run every check: ruff, mypy and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check kaohe tests bench build.py
.venv/bin/ruff format --check kaohe tests bench build.py
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
