"""Importing the PDF renderer opens WeasyPrint's libraries without searching the system for them, and imports
fontTools' subsetter and instancer only when WeasyPrint uses them."""

from __future__ import annotations

import ast
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
        import kaohe.render.pdf.renderer
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


VARIABLE_FONT = """
    from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.varLib.featureVars import addFeatureVariations

    def triangle():
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0)); pen.lineTo((0, 500)); pen.lineTo((500, 0)); pen.closePath()
        return pen.glyph()

    def variable_font():
        \"\"\"A weight axis and a substitution at heavy weights (GSUB FeatureVariations), as variable CJK fonts have.\"\"\"
        names = [".notdef", "A", "A.alt"]
        builder = FontBuilder(1000, isTTF=True)
        builder.setupGlyphOrder(names)
        builder.setupCharacterMap({0x41: "A"})
        builder.setupGlyf({name: triangle() for name in names})
        builder.setupHorizontalMetrics({name: (600, 0) for name in names})
        builder.setupHorizontalHeader()
        builder.setupNameTable({"familyName": "VF", "styleName": "Regular"})
        builder.setupOS2()
        builder.setupPost()
        builder.setupFvar([("wght", 100, 400, 900, "Weight")], [])
        addOpenTypeFeaturesFromString(builder.font, "languagesystem DFLT dflt; feature liga { sub A by A; } liga;")
        addFeatureVariations(builder.font, [([{"wght": (0.5, 1.0)}], {"A": "A.alt"})])
        return builder.font
    """


def test_fonttools_subsetter_and_instancer_are_imported_only_when_weasyprint_uses_them() -> None:
    before = """
        import sys
        import kaohe.render.pdf.renderer
        import weasyprint.pdf.fonts as fonts
        loaded = [name for name in ("fontTools.subset", "fontTools.varLib") if name in sys.modules]
        print("deferred", loaded, type(fonts.subset).__name__)
        """
    after = """
        instance = fonts.instantiateVariableFont(variable_font(), {"wght": 700}, static=True)
        print("instanced", "fvar" in instance, instance["cmap"].getBestCmap())
        print("subset", type(fonts.subset.Options()).__name__, type(sys.modules["fontTools.subset"]).__name__)
        """
    out = run_python("\n".join(textwrap.dedent(part) for part in (before, VARIABLE_FONT, after)))
    lines = out.splitlines()
    assert lines[0] == "deferred [] StandIn"  # neither run while the build imports WeasyPrint, nothing left in the way
    # the real instancer, with what the real subsetter adds to the GSUB table (a stand-in left in its place: an error)
    assert lines[1] == "instanced False {65: 'A'}"
    assert lines[2] == "subset Options module"


def test_every_way_of_naming_the_deferred_modules_gives_the_real_ones(tmp_path: Path) -> None:
    package = tmp_path / "asks_more"  # as another WeasyPrint release might import them, while they are deferred
    package.mkdir()
    (package / "__init__.py").write_text(
        "from fontTools.varLib.instancer import instantiateVariableFont, OverlapMode\n"
        "from fontTools.varLib import instancer\n"
        "from fontTools import subset\n"
        "FOUND = (OverlapMode.__name__, instancer.OverlapMode is OverlapMode, subset.Subsetter.__name__)\n",
        encoding="utf-8",
    )
    out = run_python(
        """
        import sys
        from kaohe.render.pdf.loading import StandIn, import_without_library_search
        module = import_without_library_search("asks_more")
        real = [not isinstance(sys.modules[n], StandIn) for n in ("fontTools.subset", "fontTools.varLib.instancer")]
        print(*module.FOUND, *real)
        """,
        tmp_path,
    )
    assert out.split() == ["OverlapMode", "True", "Subsetter", "True", "True"]


def imported_names(tree: ast.Module) -> list[str]:
    """The modules a module imports at its top level, in order."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_every_module_that_imports_weasyprint_imports_it_through_the_loader_first() -> None:
    """Whichever of them is imported first (a worker, a test), WeasyPrint comes in without the library search."""
    importing: dict[str, list[str]] = {}
    for source in sorted((ROOT / "kaohe").rglob("*.py")):
        names = imported_names(ast.parse(source.read_text(encoding="utf-8")))
        if any(name.split(".")[0] in ("weasyprint", "cssselect2") for name in names):
            importing[source.relative_to(ROOT).as_posix()] = names
    assert "kaohe/render/pdf/renderer.py" in importing and len(importing) >= 8
    for module, names in importing.items():
        first = next(n for n in names if n != "__future__")
        assert first == "kaohe.render.pdf.loading", module
    assert "kaohe/render/pdf/__init__.py" not in importing  # the package itself: documents and keys, no WeasyPrint
