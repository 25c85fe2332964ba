"""Importing the PDF renderer opens WeasyPrint's libraries without searching the system for them, and imports
fontTools' subsetter and instancer only when WeasyPrint uses them."""

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


def test_fonttools_subsetter_and_instancer_are_imported_only_when_weasyprint_uses_them(tmp_path: Path) -> None:
    # A one-glyph TrueType font, static: the real instancer refuses it for want of an fvar table.
    out = run_python(
        """
        import sys
        import kaohe.render.pdf
        import weasyprint.pdf.fonts as fonts
        print("deferred", "fontTools.varLib" not in sys.modules, type(sys.modules["fontTools.subset"]).__name__)
        options = fonts.subset.Options()  # the subsetter's first use runs the real module
        print("subset", type(sys.modules["fontTools.subset"]).__name__, type(options).__name__)
        from fontTools.fontBuilder import FontBuilder
        from fontTools.pens.ttGlyphPen import TTGlyphPen
        builder = FontBuilder(1000, isTTF=True)
        builder.setupGlyphOrder([".notdef"])
        builder.setupCharacterMap({})
        builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
        builder.setupHorizontalMetrics({".notdef": (500, 0)})
        builder.setupHorizontalHeader()
        builder.setupMaxp()
        try:
            fonts.instantiateVariableFont(builder.font, {}, static=True)
        except ValueError as refused:
            print("instancer", refused, sys.modules["fontTools.varLib.instancer"].__file__ is not None)
        """
    )
    lines = out.splitlines()
    assert lines[0] == "deferred True _LazyModule"  # neither run while the build imports WeasyPrint
    assert lines[1] == "subset module Options"
    assert lines[2].startswith("instancer ") and "fvar" in lines[2] and lines[2].endswith(" True")  # the real one


def test_weasyprint_asking_the_instancer_for_more_than_the_stand_in_has_is_imported_the_usual_way(
    tmp_path: Path,
) -> None:
    package = tmp_path / "asks_more"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from fontTools.varLib.instancer import instantiateVariableFont, OverlapMode\nFOUND = OverlapMode.__name__\n",
        encoding="utf-8",
    )
    out = run_python(
        """
        import sys
        from kaohe.render.pdf.loading import import_without_library_search
        module = import_without_library_search("asks_more")
        print(module.FOUND, sys.modules["fontTools.varLib.instancer"].__file__.endswith("__init__.py"))
        """,
        tmp_path,
    )
    assert out.split() == ["OverlapMode", "True"]
