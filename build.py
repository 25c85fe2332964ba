#!/usr/bin/env python3
"""考核台帐 — validate the ledgers, score the communities and build output/.

Run ``python build.py --help`` for the commands.
"""

import sys

from kaohe.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
