#!/usr/bin/env bash
# Set up (first time only) and build the year in content/ into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python build.py "$@"
