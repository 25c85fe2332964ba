"""The import's headings are documented as the code reads them, and the command line stays light."""

from __future__ import annotations

import re
import subprocess
import sys

from support import TOOL_ROOT

from kaohe.render.vocab import SHEET_COLUMNS

FORMAT = (TOOL_ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")


def test_format_lists_every_heading_import_recognises_in_the_same_order() -> None:
    rows = re.findall(r"^  \| `(\w+)`[^|]* \| ([^|]+) \|$", FORMAT, flags=re.MULTILINE)
    documented = {key: tuple(name.strip() for name in names.split(",")) for key, names in rows}
    assert documented == dict(SHEET_COLUMNS)


def test_the_command_line_loads_no_spreadsheet_library_until_import_or_template_runs() -> None:
    code = "import sys, kaohe.cli.main; print(sorted(m for m in ('openpyxl', 'xlrd') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=TOOL_ROOT, check=True)
    assert done.stdout.strip() == "[]"
