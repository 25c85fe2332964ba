"""How large the sample year's PDFs are, and how much of that is fonts.

    python bench/pdf_size.py [--root DIR] [--uncompacted]

Renders the PDF notices of ``DIR`` (default: this repository's sample year) into a
temporary folder and prints each file's size, the bytes of its embedded font programs and
their share, then the totals. ``--uncompacted`` renders them as WeasyPrint writes them,
before :mod:`kaohe.render.pdf.compact` (for comparison). Target for the sample year:
at most 2.5 MB together. The sizes depend on the fonts installed (``PDF fonts:`` on stderr).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pikepdf

from kaohe.cli.build import TEMPLATES_DIR
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.pdf import PDF_DIR, documents, render_pdfs
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.scoring.results import Results

SAMPLE_ROOT = Path(__file__).resolve().parent.parent
EPOCH = 1231718400
TARGET_BYTES = 2_500_000
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def font_bytes(path: Path) -> int:
    """The stored (compressed) bytes of every embedded font program."""
    total = 0
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in FONT_FILES:
                    if key in obj:
                        total += len(obj[key].read_raw_bytes())
    return total


def render_uncompacted(results: Results, out: Path) -> tuple[str, ...]:
    """The notices rendered in this process, with the compaction step left out."""
    (out / PDF_DIR).mkdir()
    renderer = PdfRenderer(TEMPLATES_DIR, compact=False)
    docs = documents(results, EPOCH)
    for doc in docs:
        renderer.render(doc, out / PDF_DIR / doc.file_name)
    return tuple(f"{PDF_DIR}/{doc.file_name}" for doc in docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=SAMPLE_ROOT)
    parser.add_argument("--uncompacted", action="store_true", help="skip the font compaction")
    args = parser.parse_args()
    outcome = run(WorkingTree(args.root))
    assert outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error][:5]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if args.uncompacted:
            written = render_uncompacted(outcome.results, out)
        else:
            written = render_pdfs(outcome.results, out, RenderEnv(args.root, TEMPLATES_DIR, EPOCH), ())
        total = fonts = 0
        for relpath in sorted(written):
            path = out / relpath
            size, font = path.stat().st_size, font_bytes(path)
            total, fonts = total + size, fonts + font
            print(f"{size:>10,} B  fonts {font:>10,} B  {100 * font / size:5.1f} %  {path.name}")
        print(f"{total:>10,} B  fonts {fonts:>10,} B  {100 * fonts / total:5.1f} %  {len(written)} PDFs together")
        verdict = "within" if total <= TARGET_BYTES else "over"
        print(f"target {TARGET_BYTES:,} B: {verdict}")


if __name__ == "__main__":
    main()
