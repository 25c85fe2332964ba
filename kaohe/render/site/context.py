"""What every page needs, gathered once: indexes over the content and the results.

Nothing here formats anything; the view modules turn these facts into what
templates show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from kaohe.content.model import Content, Entry, HistoryCommunity, HistoryYear, Indicator, Line, Rubric, Rule
from kaohe.render import vocab
from kaohe.render.markup import Escaped, escaped
from kaohe.render.site import provenance
from kaohe.render.site.provenance import Commit
from kaohe.scoring.results import CommunityResult, Results
from kaohe.scoring.score import Effect

if TYPE_CHECKING:
    from kaohe.render.site.entries import EntryView

PDF_DIR = "pdf"  # where the PDF notices are built, inside the output folder


@dataclass(frozen=True)
class Pdf:
    """A notice built into ``output/pdf/``, as the site offers it: the PDF, or the DOCX beside it."""

    name: str  # the file name, e.g. 考核结果通知书-紫桥社区.pdf (or .docx)
    relpath: str  # below the site's downloads/pdf/ folder, POSIX
    size: int

    @property
    def path(self) -> str:
        """Where the site keeps it, relative to the site root, as a reader reads it."""
        return f"downloads/pdf/{self.relpath}"

    @property
    def href(self) -> str:
        """:attr:`path`, percent-encoded."""
        return quote(self.path)

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def title(self) -> str:
        return self.stem

    @property
    def kind(self) -> str:
        """``PDF`` or ``DOCX``, as the link says it."""
        return PurePosixPath(self.name).suffix.removeprefix(".").upper()

    @property
    def what(self) -> str:
        return vocab.DOCUMENT_KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class SiteData:
    """Indexes over one build's results, shared by all views."""

    results: Results
    effects: Mapping[Entry, Effect]
    provenance: Mapping[Entry, Commit]
    pdfs: tuple[Pdf, ...]
    generated: str  # the build date from SOURCE_DATE_EPOCH, or empty
    indicators: Mapping[str, Indicator]
    rules: Mapping[str, tuple[Indicator, Rule]]
    public: bool = False  # the public edition: no names, no measures, commits by date only
    # filled on first use, by id(entry): the content holds every entry as long as this; an Entry's own hash (of
    # every field, Decimals and all) was a fortieth of a city's pages, each entry looked up on two pages or more
    entry_views: dict[int, EntryView] = field(default_factory=dict, compare=False)

    @property
    def rubric(self) -> Rubric:
        return self.results.rubric

    @property
    def content(self) -> Content:
        return self.results.content

    @cached_property
    def documents_by_stem(self) -> dict[str, tuple[Pdf, ...]]:
        """The PDFs and the DOCX beside them, by file name without suffix, in :attr:`pdfs`' order."""
        found: dict[str, list[Pdf]] = defaultdict(list)
        for pdf in self.pdfs:
            found[pdf.stem].append(pdf)
        return {stem: tuple(documents) for stem, documents in found.items()}

    @cached_property
    def earlier_years(self) -> tuple[tuple[HistoryYear, dict[str, HistoryCommunity], set[int]], ...]:
        """Each year of ``content/history/`` but this one: its rows by community id, and its shared ranks."""
        return tuple(
            (year, {row.id: row for row in year.communities}, shared_ranks(row.rank for row in year.communities))
            for year in self.content.history
            if year.year != self.results.year
        )

    @cached_property
    def names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.content.communities}

    @cached_property
    def lines(self) -> dict[str, Line]:
        return self.rubric.line_index()

    @cached_property
    def lines_by_month(self) -> frozenset[str]:
        """The lines whose ledgers are too long for one page: their entries are shown a month a page."""
        return frozenset(ledger.line for ledger in self.content.ledgers if len(ledger.entries) > LEDGER_PAGE_ENTRIES)

    def ledger_page(self, line_id: str, day: date) -> str:
        """The page that lists a line's entry dated ``day``: the line's page, or its month's."""
        return line_month_href(line_id, day) if line_id in self.lines_by_month else line_href(line_id)

    def line_name(self, line_id: str) -> str:
        line = self.lines.get(line_id)
        return line.name if line else line_id

    @cached_property
    def tied_ranks(self) -> set[int]:
        return shared_ranks(c.rank for c in self.results.communities)

    def community(self, cid: str) -> CommunityResult:
        return self.results.community(cid)

    def ancestors(self, full_id: str) -> list[Indicator]:
        """The indicators from the top-level category down to ``full_id`` itself."""
        parts = full_id.split(".")
        paths = (".".join(parts[: n + 1]) for n in range(len(parts)))
        return [self.indicators[path] for path in paths if path in self.indicators]

    @cached_property
    def community_options(self) -> FilterOptions:
        """Every community as an entries table's filter offers it (a city's 1,000, on every page of a line)."""
        return filter_options((c.id, c.name) for c in self.content.communities)

    @cached_property
    def indicator_walk(self) -> tuple[tuple[Indicator, int], ...]:
        """Every indicator with its depth (0 for a category), each before its children, in rubric order."""
        walk: list[tuple[Indicator, int]] = []
        below = [(top, 0) for top in reversed(self.rubric.indicators)]
        while below:
            node, depth = below.pop()
            walk.append((node, depth))
            below.extend((child, depth + 1) for child in reversed(node.children))
        return tuple(walk)

    @cached_property
    def tree_nodes(self) -> tuple[TreeNode, ...]:
        """:attr:`indicator_walk` with what every community's indicator tree shows of each node, escaped once."""
        return tuple(
            TreeNode(
                node,
                depth,
                *(
                    escaped(text)
                    for text in (
                        str(depth),
                        node.full_id,
                        node.label,
                        vocab.points(node.points),
                        quote(node.full_id),
                        self.line_name(node.line),
                    )
                ),
            )
            for node, depth in self.indicator_walk
        )

    @cached_property
    def rubric_order(self) -> dict[str, int]:
        """Rule and indicator full ids in rubric order, for sorting entries the way the 细则 reads (made once)."""
        order: dict[str, int] = {}
        for node in self.rubric.walk():
            order.setdefault(node.full_id, len(order))
            for rule in node.rules:
                order.setdefault(rule.full_id, len(order))
        return order

    def place_of(self, leaf: Indicator) -> str:
        """Where a leaf sits, by the names above it: ``党群工作 › 党组织建设``."""
        return self.places[leaf.full_id]

    @cached_property
    def places(self) -> dict[str, str]:
        """:meth:`place_of` of every indicator, made once (every entry of a leaf asks for it)."""
        return {
            full_id: " › ".join(node.label for node in self.ancestors(full_id)[:-1] if not node.is_goal)
            for full_id in self.indicators
        }

    def cited(self, entry: Entry) -> tuple[Indicator | None, Rule | None]:
        """The leaf and the rule an entry cites (the rule is ``None`` for an amount on a ratio leaf)."""
        if entry.rule is not None:
            found = self.rules.get(entry.rule)
            return (found[0], found[1]) if found else (None, None)
        return self.indicators.get(entry.indicator or ""), None


class TreeNode(NamedTuple):
    """A node of the rubric as the indicator tree of every community's page shows it (:attr:`SiteData.tree_nodes`)."""

    node: Indicator
    depth: int
    depth_text: Escaped
    full_id: Escaped
    label: Escaped
    points: Escaped
    query: Escaped  # the full id as the entries filter's query value
    line_name: Escaped


FilterOptions = tuple[tuple[Escaped, Escaped], ...]  # (value, text) of a filter's options, escaped once


def filter_options(pairs: Iterable[tuple[str, str]]) -> FilterOptions:
    """(value, text) of an entries table filter's options, as ``templates/site/_macros.html`` writes them: escaped."""
    return tuple((escaped(value), escaped(text)) for value, text in pairs)


LEDGER_PAGE_ENTRIES = 500  # a ledger with more entries shows them a month a page (a city's line: some 7,700)


def line_href(line_id: str) -> str:
    """A line's page, relative to the site root."""
    return f"lines/{line_id}.html"


def line_month_href(line_id: str, day: date) -> str:
    """The page of a line's entries of the month of ``day`` (a long ledger's), relative to the site root."""
    return f"lines/{line_id}/{day.isoformat()[:7]}.html"  # YYYY-MM (a format spec calls strftime: 2 µs an entry)


def shared_ranks(ranks: Iterable[int]) -> set[int]:
    """The ranks held by more than one community."""
    counts = Counter(ranks)
    return {rank for rank, count in counts.items() if count > 1}


def effects_by_entry(results: Results) -> dict[Entry, Effect]:
    """Every ledger entry that moved a score → what it did."""
    return {
        effect.entry: effect
        for community in results.communities
        for leaf in community.score.leaves.values()
        for effect in leaf.effects
    }


DOCUMENT_SUFFIXES = (".pdf", ".docx")  # to print, and to finish in WPS or Word


def pdfs_among(out_dir: Path, written: tuple[str, ...]) -> tuple[Pdf, ...]:
    """The notices the earlier renderers wrote into ``out_dir/pdf`` (each PDF, then its DOCX), sorted by name."""
    prefix = f"{PDF_DIR}/"
    found = sorted(
        (path for path in written if path.startswith(prefix) and path.endswith(DOCUMENT_SUFFIXES)),
        key=lambda path: (PurePosixPath(path).stem, DOCUMENT_SUFFIXES.index(PurePosixPath(path).suffix)),
    )
    return tuple(
        Pdf(PurePosixPath(path).name, path.removeprefix(prefix), (out_dir / path).stat().st_size) for path in found
    )


def public_commit(commit: Commit) -> Commit:
    """A commit as the public edition tells it: its date, no author and no message (either may name people)."""
    return replace(commit, author="", summary="")


def gather(
    results: Results, out_dir: Path, earlier: tuple[str, ...], project_root: Path, generated: str, public: bool = False
) -> SiteData:
    commits = provenance.provenance(project_root, results.content.ledgers)
    return SiteData(
        results=results,
        effects=effects_by_entry(results),
        provenance={entry: public_commit(commit) for entry, commit in commits.items()} if public else commits,
        pdfs=pdfs_among(out_dir, earlier),
        generated=generated,
        indicators=results.rubric.indicator_index(),
        rules=results.rubric.rule_index(),
        public=public,
    )
