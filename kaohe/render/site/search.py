"""The offline search index: communities, ledger entries and rubric text, as a script file.

The index is a plain ``<script src>`` (``window.KAOHE_SEARCH = [...]``) so it loads
from disk without a server; the browser matches the query as substrings, which
suits Chinese (no word segmentation needed). Every text comes from sanitised
HTML, and ``<`` is escaped, so nothing in it can act as markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from kaohe.render import vocab
from kaohe.render.site.context import SiteData
from kaohe.render.site.entries import EntryView, entry_views
from kaohe.render.site.ledger import line_href
from kaohe.render.site.ranking import community_href

KIND_COMMUNITY = "社区"
KIND_ENTRY = "台帐"
KIND_RUBRIC = "细则"
KIND_LINE = "各线"


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    subtitle: str
    text: str  # what the query is matched against (title and subtitle are matched too)
    url: str  # relative to the site root


def community_documents(data: SiteData) -> Iterator[Document]:
    for c in data.results.communities:
        person = c.score.community
        people = " ".join([person.secretary, *sorted(set(person.staff.values()))])
        award = c.granted.name or ""
        yield Document(
            KIND_COMMUNITY,
            c.name,
            f"第{c.rank}名 · 总分{vocab.score(c.total)}" + (f" · {award}" if award else ""),
            f"{c.id} {people}" + (" 一票否决" if c.vetoed else ""),
            community_href(c.id),
        )


def entry_document(view: EntryView) -> Document:
    return Document(
        KIND_ENTRY,
        f"{view.community_name} · {view.rule_text}",
        f"{view.date} · {view.line_name} · {view.effect}",
        " ".join([view.note_text, view.evidence_text, view.place, view.cites, view.quantity]),
        f"{community_href(view.community_id)}#{view.anchor}",
    )


def rubric_documents(data: SiteData) -> Iterator[Document]:
    for leaf in data.rubric.leaves():
        rules = " ".join([*(r.text for r in leaf.rules), leaf.full_id, *(r.full_id for r in leaf.rules)])
        yield Document(
            KIND_RUBRIC,
            leaf.label,
            f"{data.place_of(leaf)} · {leaf.points.normalize():f}分 · {data.line_name(leaf.line)}",
            rules,
            f"rubric.html#r-{leaf.full_id}",
        )


def line_documents(data: SiteData) -> Iterator[Document]:
    for line in data.rubric.lines:
        yield Document(KIND_LINE, line.name, f"{line.lead} · 审核：{line.reviewer}", line.id, line_href(line.id))


def documents(data: SiteData) -> list[Document]:
    entries = entry_views(data, data.content.entries(), chronological=True)
    return [
        *community_documents(data),
        *line_documents(data),
        *(entry_document(view) for view in entries),
        *rubric_documents(data),
    ]


def search_index_script(data: SiteData) -> str:
    """``window.KAOHE_SEARCH = [...];`` with every ``<`` escaped."""
    payload = json.dumps([asdict(d) for d in documents(data)], ensure_ascii=False, sort_keys=True, indent=0)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.KAOHE_SEARCH = {payload};\n"
