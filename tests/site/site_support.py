"""Helpers for the site tests: render small projects, and read the HTML back without a browser."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv
from kaohe.render.site import render_site
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = TOOL_ROOT / "templates"
FIXED_EPOCH = 1231718400  # 2009-01-12


@dataclass
class Table:
    head: list[list[str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_attrs: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Tag:
    name: str
    attrs: dict[str, str]


class PageParser(HTMLParser):
    """Collects tables (by id, cell texts per row), every tag with its attributes, ids, and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, Table] = {}
        self.tags: list[Tag] = []
        self.ids: set[str] = set()
        self.text_parts: list[str] = []
        self.script_bodies: list[str] = []
        self._table: Table | None = None
        self._section = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(Tag(tag, values))
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "table" and values.get("id"):
            self._table = self.tables.setdefault(values["id"], Table())
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._table is not None:
            self._row = []
            if self._section == "tbody":
                self._table.row_attrs.append(values)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "script":
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            (self._table.rows if self._section == "tbody" else self._table.head).append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            if data.strip():
                self.script_bodies.append(data)
            return
        self.text_parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())


def parse_html(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def render(results: Results, out_dir: Path, project_root: Path | None = None, epoch: int | None = FIXED_EPOCH) -> Path:
    """Render the site for ``results`` into a fresh ``out_dir``; returns ``out_dir/site``."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    env = RenderEnv(project_root=project_root or out_dir, templates_dir=TEMPLATES, source_date_epoch=epoch)
    render_site(results, out_dir, env, ())
    return out_dir / "site"


def project_results(root: Path) -> Results:
    """Load and score the project at ``root`` as the build does."""
    outcome = run(WorkingTree(root))
    assert outcome.results is not None, [str(d) for d in outcome.diagnostics]
    return outcome.results


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


SEARCH_INDEX_PREFIX = "window.KAOHE_SEARCH = "
SEARCH_PART = re.compile(r'^window\.KAOHE_SEARCH_PART\("(e|g)", (\d+), (.*)\);\n$', re.DOTALL)


def search_index_documents(site: Path) -> list[dict[str, Any]]:
    """The documents of ``assets/search-index.js`` alone (all but the entries), read as JSON."""
    first_line = (site / "assets" / "search-index.js").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith(SEARCH_INDEX_PREFIX) and first_line.endswith(";")
    docs: list[dict[str, Any]] = json.loads(first_line[len(SEARCH_INDEX_PREFIX) : -1])
    return docs


def search_parts(site: Path, kind: str) -> list[Any]:
    """The payloads of the index's parts of one kind (``e`` entries, ``g`` pairs), in part order."""
    found: dict[int, Any] = {}
    for path in (site / "assets" / "search").glob(f"{kind}-*.js"):
        match = SEARCH_PART.match(path.read_text(encoding="utf-8"))
        assert match and match.group(1) == kind, path
        found[int(match.group(2))] = json.loads(match.group(3))
    assert sorted(found) == list(range(len(found)))
    return [found[n] for n in range(len(found))]


def search_documents(site: Path) -> list[dict[str, Any]]:
    """Every document the site's search finds: the index's own and the entries of every part."""
    return [*search_index_documents(site), *(doc for part in search_parts(site, "e") for doc in part)]
