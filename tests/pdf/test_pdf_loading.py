"""Importing the PDF renderer opens WeasyPrint's libraries without searching the system for them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, *path: Path) -> str:
    search = ":".join(str(p) for p in (*path, ROOT))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": search, "PATH": "/usr/bin:/bin"},
        check=True,
    )
    return done.stdout


def test_importing_the_pdf_renderer_starts_no_child_process() -> None:
    # ctypes.util.find_library runs ldconfig, gcc and ld as children for every library name
    # WeasyPrint tries that is not this platform's; opened directly, none is started.
    out = run_python(
        """
        import subprocess
        started = []
        real = subprocess.Popen.__init__
        def counting(self, args, *rest, **options):
            started.append(args)
            real(self, args, *rest, **options)
        subprocess.Popen.__init__ = counting
        import ctypes.util
        search = ctypes.util.find_library
        import kaohe.render.pdf
        import weasyprint
        print(len(started), ctypes.util.find_library is search, weasyprint.HTML.__name__)
        """
    )
    assert out.split() == ["0", "True", "HTML"]


def test_a_library_only_the_search_finds_is_still_found(tmp_path: Path) -> None:
    # A module that, like WeasyPrint on a system whose libraries only the search finds,
    # fails to import (printing a banner) while find_library finds nothing.
    (tmp_path / "needs_search.py").write_text(
        textwrap.dedent(
            """
            import ctypes.util
            if ctypes.util.find_library("c") is None:
                print("could not import some external libraries")
                raise OSError("no library called c")
            FOUND = ctypes.util.find_library("c")
            """
        ),
        encoding="utf-8",
    )
    out = run_python(
        """
        from kaohe.render.pdf.loading import import_without_library_search
        module = import_without_library_search("needs_search")
        print("found", module.FOUND)
        """,
        tmp_path,
    )
    assert out.startswith("found libc.so")  # the second try, with the search; the first one's banner not shown
