#!/usr/bin/env bash
# Set up (first time only) and run every check: ruff, mypy and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check kaohe tests bench build.py
.venv/bin/ruff format --check kaohe tests bench build.py
.venv/bin/mypy
# Each nested conftest.py is the module `conftest` as well: mypy checks each in a run of its own (see pyproject.toml).
for conftest in tests/*/conftest.py; do .venv/bin/mypy "$conftest"; done
exec .venv/bin/python -m pytest "$@"
