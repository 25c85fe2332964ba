"""``scripts/setup.sh`` sees the Fandol fonts it installed, so a second run does not install them (and touch them) again."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from support import TOOL_ROOT

SETUP = TOOL_ROOT / "scripts" / "setup.sh"


def shell_function(name: str) -> str:
    """The text of one shell function of setup.sh (from its name to the line that closes it)."""
    found = re.search(rf"^{name}\(\) \{{.*?\}}$", SETUP.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert found is not None, f"setup.sh defines no {name}()"
    return found.group(0)


def test_installed_fandol_fonts_are_seen_however_long_the_font_list_is(tmp_path: Path) -> None:
    # A real fc-list prints hundreds of families: a `grep -q` that stops reading at the first match
    # kills it with SIGPIPE, and under pipefail the fonts were taken for missing (and installed again).
    fake = tmp_path / "fc-list"
    fake.write_text("#!/bin/sh\necho FandolFang\necho FandolKai\nseq 1 200000\n", encoding="utf-8")
    fake.chmod(0o755)
    script = f"set -euo pipefail\n{shell_function('fandol_installed')}\nfor i in 1 2 3 4 5; do fandol_installed; done\n"
    done = subprocess.run(["bash", "-c", script], env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, check=False)
    assert done.returncode == 0


def test_missing_fandol_fonts_are_seen_missing(tmp_path: Path) -> None:
    fake = tmp_path / "fc-list"
    fake.write_text("#!/bin/sh\necho FandolFang\necho 'Noto Serif CJK SC'\n", encoding="utf-8")  # no FandolKai
    fake.chmod(0o755)
    script = f"set -euo pipefail\n{shell_function('fandol_installed')}\nfandol_installed\n"
    done = subprocess.run(["bash", "-c", script], env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, check=False)
    assert done.returncode == 1
