"""The typed content model: what the content files say, after loading.

Every object keeps the :class:`~kaohe.errors.Pos` of the YAML node it came from
so later stages can point at the right line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Protocol

from kaohe.content.schema import RUBRIC_PATH
from kaohe.errors import Pos

NO_POS = Pos("<none>")


def times(count: int | None) -> int:
    """How many times an entry counts: its ``count``, once when it gives none (FORMAT.md §4)."""
    return count or 1


class Recorded(Protocol):
    """What an entry records beside its date, community, rule and count (an :class:`Entry` or a new one)."""

    @property
    def deduct(self) -> Decimal | None: ...
    @property
    def amount(self) -> Decimal | None: ...
    @property
    def note(self) -> str: ...


def identity_of(
    day: date | None, community: str | None, cites: str, count: int | None, values: Recorded
) -> tuple[object, ...]:
    """An entry's identity, as import and ``check`` see a likely duplicate; a missing ``count`` is 1, as it scores.

    The note without the spaces and line breaks around it: a spreadsheet cell keeps neither (a ``|``
    block's last line break, a quoted note's spaces), and the note reads the same without them.
    """
    return (day, community, cites, times(count), values.deduct, values.amount, values.note.strip())


@dataclass(frozen=True)
class Located:
    """Mixin: the node's own position and those of its values, by key."""

    pos: Pos = NO_POS
    spots: Mapping[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Pos:
        return self.spots.get(key, self.pos)


@dataclass(frozen=True, kw_only=True)
class Rule(Located):
    """One 扣分标准 of a leaf. Kinds: ``per``, ``discretionary``, ``zero``, ``add``; ``veto`` may join ``per``."""

    id: str
    full_id: str
    text: str
    per: Decimal | None = None
    add: Decimal | None = None
    discretionary: bool = False
    zero: bool = False
    veto: bool = False

    @property
    def takes_count(self) -> bool:
        return self.per is not None or self.add is not None

    @property
    def needs_note(self) -> bool:
        return self.discretionary or self.zero or self.veto


@dataclass(frozen=True)
class Bonus:
    """超额加分: each full ``step`` of completion above 1 adds ``add``, at most ``max``."""

    step: Decimal
    add: Decimal
    max: Decimal


@dataclass(frozen=True, kw_only=True)
class Indicator(Located):
    id: str
    full_id: str
    label: str  # ``name`` or ``goal``: the text shown
    points: Decimal
    line: str
    is_goal: bool = False  # True when the text came from ``goal:`` (a 工作目标 row)
    children: tuple[Indicator, ...] = ()
    rules: tuple[Rule, ...] = ()
    method: str | None = None  # 'ratio' or None
    unit: str = ""
    targets: Mapping[str, Decimal] = field(default_factory=dict)
    zero_below: Decimal | None = None
    bonus: Bonus | None = None
    veto_allowed: bool = False  # effective (inherited)
    bonus_allowed: bool = False  # effective (inherited)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_ratio(self) -> bool:
        return self.method == "ratio"

    def target_for(self, community: str) -> Decimal | None:
        return self.targets.get(community, self.targets.get("default"))

    def walk(self) -> Iterator[Indicator]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Indicator]:
        return (node for node in self.walk() if node.is_leaf)


@dataclass(frozen=True, kw_only=True)
class Line(Located):
    id: str
    name: str
    lead: str = ""
    reviewer: str = ""


@dataclass(frozen=True, kw_only=True)
class Award(Located):
    name: str
    from_rank: int
    to_rank: int
    reward: int


@dataclass(frozen=True)
class Notice:
    issuers: tuple[str, ...]
    number: str
    date: date
    addressee: str
    title: str
    body: str
    copy_to: str = ""  # 版记 抄送 (optional)
    printer: str = ""  # 版记 印发机关 (optional)
    sealed: bool = True  # the signature leaves room for seals (GB/T 9704 §7.3.5.1); false: §7.3.5.2
    strict_fonts: bool = False  # a font role served in another style stops the build


APPEAL_DAYS = 15  # the default time limit for 申诉 against a measure, in calendar days


@dataclass(frozen=True, kw_only=True)
class Window(Located):
    """A span of days, both ends included."""

    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, kw_only=True)
class Schedule(Located):
    """The seed's timing rules: the year-end window (年底), who may consent to visits in it, the 考核时间."""

    year_end: Window | None = None
    consent_by: tuple[str, ...] = ()
    assessment: Window | None = None


@dataclass(frozen=True)
class Rubric:
    year: int
    title: str
    period_from: date
    period_to: date
    total: Decimal
    notice: Notice | None
    lines: tuple[Line, ...]
    awards: tuple[Award, ...]
    measures: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    path: str = RUBRIC_PATH
    schedule: Schedule | None = None  # the seed's timing rules (FORMAT.md §2); None: not checked
    appeal_days: int = APPEAL_DAYS  # 申诉 time limit of a measure's 告知书, in calendar days

    def walk(self) -> Iterator[Indicator]:
        for top in self.indicators:
            yield from top.walk()

    def leaves(self) -> Iterator[Indicator]:
        return (node for node in self.walk() if node.is_leaf)

    def indicator_index(self) -> Mapping[str, Indicator]:
        """Every indicator by its full id, made once per rubric (a city's 1,000 score sheets ask for it)."""
        return self._indicators_by_id

    @cached_property
    def _indicators_by_id(self) -> dict[str, Indicator]:
        return {node.full_id: node for node in self.walk()}

    def ancestors(self) -> Mapping[str, tuple[Indicator, ...]]:
        """Every indicator's full id → the indicators above it, its parent first; made once per rubric."""
        return self._ancestors

    @cached_property
    def _ancestors(self) -> dict[str, tuple[Indicator, ...]]:
        above: dict[str, tuple[Indicator, ...]] = {}

        def visit(node: Indicator, path: tuple[Indicator, ...]) -> None:
            above[node.full_id] = path
            for child in node.children:
                visit(child, (node, *path))

        for top in self.indicators:
            visit(top, ())
        return above

    def rule_index(self) -> dict[str, tuple[Indicator, Rule]]:
        return {rule.full_id: (leaf, rule) for leaf in self.leaves() for rule in leaf.rules}

    def line_index(self) -> dict[str, Line]:
        return {line.id: line for line in self.lines}


COMMUNITY_SUFFIX = "社区"  # every community's name ends so; a clerk may leave it out (紫桥 for 紫桥社区)


@dataclass(frozen=True, kw_only=True)
class Community(Located):
    id: str
    name: str
    secretary: str
    staff: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class Entry(Located):
    """One line of a ledger: a deduction, a bonus, an amount or a veto."""

    line: str  # the ledger's line
    date: date
    community: str
    rule: str | None
    indicator: str | None
    count: int | None
    deduct: Decimal | None
    amount: Decimal | None
    note: str
    evidence: str
    internal: bool = False  # note and evidence stay out of the public edition

    @property
    def cites(self) -> str:
        return self.rule or self.indicator or ""


@dataclass(frozen=True, kw_only=True)
class IncompleteEntry(Located):
    """An entry that did not load in full: a date, count or other value was missing or wrong (already reported).

    It keeps what did load, so that the checks across files still report the entry's other
    problems (an unknown community, rule or indicator). Scoring never sees it: it is not in
    :attr:`Ledger.entries`, and results are computed only from content without errors.
    """

    line: str
    date: date | None
    community: str | None
    rule: str | None
    indicator: str | None
    count: int | None
    deduct: Decimal | None
    amount: Decimal | None
    note: str
    evidence: str
    internal: bool = False  # note and evidence stay out of the public edition

    @property
    def cites(self) -> str:
        return self.rule or self.indicator or ""


@dataclass(frozen=True)
class Review:
    by: str
    date: date
    pos: Pos = field(default=NO_POS, compare=False, repr=False)
    spots: Mapping[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Pos:
        return self.spots.get(key, self.pos)


@dataclass(frozen=True)
class Consent:
    """The consent of the office's 党政主职 to a visit to the communities in the year-end window."""

    by: str
    date: date
    pos: Pos = field(default=NO_POS, compare=False, repr=False)
    spots: Mapping[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Pos:
        return self.spots.get(key, self.pos)


@dataclass(frozen=True, kw_only=True)
class Visit(Located):
    """A day the line went to the communities to inspect (到社区考核); the entries of that date come from it."""

    date: date
    consent: Consent | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Ledger(Located):
    path: str
    line: str
    year: int
    review: Review | None
    entries: tuple[Entry, ...]
    incomplete: tuple[IncompleteEntry, ...] = ()  # entries that did not load in full (with errors)
    visits: tuple[Visit, ...] = ()  # visits to the communities (the year-end rule, FORMAT.md §4)


@dataclass(frozen=True)
class HistoryCategory:
    score: Decimal
    rank: int
    staff: str


@dataclass(frozen=True, kw_only=True)
class HistoryCommunity(Located):
    id: str
    total: Decimal
    rank: int
    vetoed: bool
    secretary: str
    categories: Mapping[str, HistoryCategory]


@dataclass(frozen=True, kw_only=True)
class HistoryYear(Located):
    path: str
    year: int
    communities: tuple[HistoryCommunity, ...]


@dataclass(frozen=True, kw_only=True)
class Exemption(Located):
    community: str
    person: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Decision(Located):
    path: str
    meeting: date
    minutes: str
    results_sha256: str
    notice_number: str
    notice_date: date
    exemptions: tuple[Exemption, ...]
    letter_number: str = ""  # 发文字号 of the first 考核结果通知书; the others count up (FORMAT.md §6)


@dataclass(frozen=True, kw_only=True)
class ObjectionReview(Located):
    """The 复核 of an objection: upheld or not, why, when, by whom, and the ledger change when upheld."""

    upheld: bool
    reason: str
    date: date
    by: str
    change: str = ""  # upheld: an entry reference after the change, or ``removed`` (FORMAT.md §6a)


@dataclass(frozen=True, kw_only=True)
class Objection(Located):
    """An objection (异议) raised during the 公示; ``by`` is the objector, the one field that names them."""

    id: str
    by: str
    community: str
    entry: str  # an entry reference (``party/2008-03-12/ziqiao/party.org.meeting``), or "" for the whole result
    received: date
    says: str
    review: ObjectionReview | None = None

    @property
    def open(self) -> bool:
        return self.review is None

    def late(self, end: date | None) -> bool:
        """Received after the 公示's last day ``end`` (``None``: not known, so not late)."""
        return end is not None and self.received > end


@dataclass(frozen=True, kw_only=True)
class Publicity(Located):
    """The 公示 of the results (content/publicity.yaml): its first day and length, where and how to object."""

    path: str
    start: date  # ``from``: the first day of the 公示
    working_days: int
    place: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    objections: tuple[Objection, ...] = ()
    posted: str = ""  # the git revision (a tag or commit) the posted 公示 was built from, "" when not said


@dataclass(frozen=True)
class Content:
    """Everything under ``content/``, loaded. Parts that failed to load are ``None``/empty."""

    rubric: Rubric | None
    communities: tuple[Community, ...]
    ledgers: tuple[Ledger, ...]
    history: tuple[HistoryYear, ...]
    decision: Decision | None
    sample: bool = False  # communities.yaml says the data is a sample (示例数据)
    ledger_files: tuple[str, ...] = ()  # every ledger file found, including those that failed to load
    publicity: Publicity | None = None  # content/publicity.yaml, when the 公示 has started

    def entries(self) -> Iterator[Entry]:
        for ledger in self.ledgers:
            yield from ledger.entries
