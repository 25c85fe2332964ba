"""``python build.py`` works with whatever Python runs it: the tool's own virtualenv takes over when needed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import TOOL_ROOT, copy_project

BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable))


def lacks_the_tools_packages(python: Path) -> bool:
    done = subprocess.run([str(python), "-c", "import ruamel.yaml"], capture_output=True, check=False)
    return done.returncode != 0


needs_bare_python = pytest.mark.skipif(
    not lacks_the_tools_packages(BASE_PYTHON), reason="the base Python has the tool's packages installed"
)


@needs_bare_python
def test_a_python_without_the_packages_hands_over_to_the_virtualenv(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    done = subprocess.run(
        [str(BASE_PYTHON), str(TOOL_ROOT / "build.py"), "--root", str(root), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2008: 10 communities" in done.stdout


@needs_bare_python
def test_without_a_virtualenv_it_says_how_to_make_one(tmp_path: Path) -> None:
    tool = tmp_path / "tool"
    shutil.copytree(TOOL_ROOT / "kaohe", tool / "kaohe")
    shutil.copy(TOOL_ROOT / "build.py", tool / "build.py")
    done = subprocess.run(
        [str(BASE_PYTHON), str(tool / "build.py"), "--json", "check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("lacks the tool's packages: run scripts/setup.sh first")
    assert '"error"' in done.stdout
    assert "Traceback" not in done.stderr


def test_the_quick_exit_runs_atexit_handlers_flushes_both_streams_and_keeps_the_code(tmp_path: Path) -> None:
    marker = tmp_path / "atexit-ran"
    script = (
        "import atexit, sys\n"
        f"sys.path.insert(0, {str(TOOL_ROOT)!r})\n"
        "from build import exit_now\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
        "sys.stdout.write('out, still in the buffer')\n"
        "sys.stderr.write('err')\n"
        "exit_now(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (3, "out, still in the buffer", "err")
    assert marker.exists()


def test_with_another_thread_running_the_exit_waits_for_it(tmp_path: Path) -> None:
    script = (
        "import sys, threading, time\n"
        f"sys.path.insert(0, {str(TOOL_ROOT)!r})\n"
        "from build import exit_now\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done', flush=True))).start()\n"
        "exit_now(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "thread done\n")
