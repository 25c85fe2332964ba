"""Content files → the typed model (:mod:`kaohe.content.model`), collecting every diagnostic.

Each ``load_*`` function reads one kind of file and checks what can be checked
inside that file alone: YAML syntax, known keys, value types. The keys of every
mapping, and where each file lives, come from :mod:`kaohe.content.schema`.
Rules that need several files (a ledger citing the rubric) live in
:mod:`kaohe.check.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TypeVar

from kaohe.content.cache import Loader, ParseCache
from kaohe.content.comments import texts_cut_by_comments
from kaohe.content.fields import Fields, maps_in, texts_in, to_decimal
from kaohe.content.model import (
    APPEAL_DAYS,
    Award,
    Bonus,
    Community,
    Consent,
    Content,
    Decision,
    Entry,
    Exemption,
    HistoryCategory,
    HistoryCommunity,
    HistoryYear,
    IncompleteEntry,
    Indicator,
    Ledger,
    Line,
    Notice,
    Objection,
    ObjectionReview,
    Publicity,
    Review,
    Rubric,
    Rule,
    Schedule,
    Visit,
    Window,
)
from kaohe.content.schema import (
    COMMUNITIES_PATH,
    DECISION_PATH,
    HISTORY_DIR,
    LEDGER_DIR,
    PUBLICITY_PATH,
    RUBRIC_PATH,
    SHAPES,
)
from kaohe.content.source import ContentSource, FileTooLarge, NotUtf8Error
from kaohe.content.yamlnodes import YMap, YScalar, parse_yaml
from kaohe.errors import Diagnostic, Pos, error

RULE_KINDS = SHAPES["rule"].group("kind")  # per, add, discretionary, zero (veto may join per)
RATIO_KEYS = SHAPES["indicator"].group("ratio")  # only on a leaf with method: ratio
LETTER_NUMBER = re.compile(r"\d+号$")  # the first letter's number; the letters count up from it
LETTER_NUMBER_HINT = "letter_number '{}' must end with its serial number and 号, like 常武北委函〔2009〕1号"
ENTRY_VALUES = SHAPES["entry"].pick("count", "deduct", "amount")
T = TypeVar("T")


@dataclass
class Loaded:
    content: Content
    diagnostics: list[Diagnostic]


TextHint = Callable[[str, str], list[Diagnostic]]  # (path, text) → what a file's text alone shows (a warning)


def read_map(
    source: ContentSource, path: str, problems: list[Diagnostic], required: bool = True, hints: Sequence[TextHint] = ()
) -> YMap | None:
    """Read and parse one file whose top level must be a mapping; ``hints`` look at the text of one that parsed."""
    try:
        text = source.read_text(path)
    except NotUtf8Error as exc:
        problems.append(error(Pos(path, exc.line, exc.col), "the file is not UTF-8 text: save it as UTF-8 (not GBK)"))
        return None
    except FileTooLarge as exc:
        problems.append(error(Pos(path), str(exc)))
        return None
    if text is None:
        if required:
            problems.append(error(Pos(path), "file not found"))
        return None
    root, found = parse_yaml(path, text)
    problems.extend(found)
    if root is not None:
        for hint in hints:
            problems.extend(hint(path, text))
    if root is None:
        if not found:
            problems.append(error(Pos(path), "the file is empty"))
        return None
    if not isinstance(root, YMap):
        problems.append(error(root.pos, "the file's top level must be a mapping of keys"))
        return None
    return root


# --- rubric -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inherited:
    prefix: str
    line: str | None
    veto_allowed: bool
    bonus_allowed: bool


def load_rubric(source: ContentSource, problems: list[Diagnostic]) -> Rubric | None:
    root = read_map(source, RUBRIC_PATH, problems)
    if root is None:
        return None
    f = Fields.of(root, "rubric", problems)
    period = f.mapping("period")
    period_from = period_to = None
    if period is not None:
        pf = Fields.of(period, "period", problems)
        period_from, period_to = pf.date("from"), pf.date("to")
    year = f.integer("year")
    indicators = tuple(
        node
        for item in maps_in(f.sequence("indicators"), "indicators", problems)
        if (node := _load_indicator(item, _Inherited("", None, False, False), problems)) is not None
    )
    if year is None or period_from is None or period_to is None:
        return None
    return Rubric(
        year=year,
        title=f.text("title") or "",
        period_from=period_from,
        period_to=period_to,
        total=f.decimal("total", positive=True) or Decimal(100),
        notice=_load_notice(f.mapping("notice"), problems),
        lines=tuple(_load_line(m, problems) for m in maps_in(f.sequence("lines"), "lines", problems)),
        awards=tuple(_load_award(m, problems) for m in maps_in(f.sequence("awards"), "awards", problems)),
        measures=tuple(texts_in(f.sequence("measures"), "measures", problems)),
        indicators=indicators,
        schedule=_load_schedule(f.mapping("schedule"), problems),
        appeal_days=f.integer("appeal_days", minimum=1) or APPEAL_DAYS,
    )


def _load_schedule(node: YMap | None, problems: list[Diagnostic]) -> Schedule | None:
    """The seed's timing rules (FORMAT.md §2 ``schedule``)."""
    if node is None:
        return None
    f = Fields.of(node, "schedule", problems)
    return Schedule(
        year_end=_load_window(f.mapping("year_end"), "year_end", problems),
        consent_by=tuple(texts_in(f.sequence("consent_by"), "consent_by", problems)),
        assessment=_load_window(f.mapping("assessment"), "assessment", problems),
        pos=node.pos,
        spots=f.spots(),
    )


def _load_window(node: YMap | None, what: str, problems: list[Diagnostic]) -> Window | None:
    if node is None:
        return None
    f = Fields.of(node, "window", problems, what=f"schedule.{what}")
    start, end = f.date("from"), f.date("to")
    if start is None or end is None:
        return None
    if end < start:
        problems.append(error(f.pos_of("to"), f"schedule.{what} ends ({end}) before it starts ({start})"))
    return Window(start=start, end=end, pos=node.pos, spots=f.spots())


def _load_notice(node: YMap | None, problems: list[Diagnostic]) -> Notice | None:
    if node is None:
        return None
    f = Fields.of(node, "notice", problems)
    notice_date = f.date("date")
    if notice_date is None:
        return None
    return Notice(
        issuers=tuple(texts_in(f.sequence("issuers"), "issuers", problems)),
        number=f.text("number") or "",
        date=notice_date,
        addressee=f.text("addressee") or "",
        title=f.text("title") or "",
        body=f.text("body") or "",
        copy_to=f.text("copy_to") or "",
        printer=f.text("printer") or "",
        sealed=f.boolean("sealed") if f.has("sealed") else True,
        strict_fonts=f.boolean("strict_fonts"),
    )


def _load_line(node: YMap, problems: list[Diagnostic]) -> Line:
    f = Fields.of(node, "line", problems)
    return Line(
        id=f.ident("id") or "",
        name=f.text("name") or "",
        lead=f.text("lead") or "",
        reviewer=f.text("reviewer") or "",
        pos=node.pos,
        spots=f.spots(),
    )


def _load_award(node: YMap, problems: list[Diagnostic]) -> Award:
    f = Fields.of(node, "award", problems)
    return Award(
        name=f.text("name") or "",
        from_rank=f.integer("from_rank", minimum=1) or 1,
        to_rank=f.integer("to_rank", minimum=1) or 1,
        reward=f.integer("reward", minimum=0) or 0,
        pos=node.pos,
        spots=f.spots(),
    )


def _load_indicator(node: YMap, parent: _Inherited, problems: list[Diagnostic]) -> Indicator | None:
    f = Fields.of(node, "indicator", problems)
    ident = f.ident("id")
    points = f.decimal("points", positive=True)
    label = _indicator_label(f)
    here = _Inherited(
        prefix=f"{parent.prefix}{ident}.",
        line=f.ident("line") or parent.line,
        veto_allowed=parent.veto_allowed or f.boolean("veto_allowed"),
        bonus_allowed=parent.bonus_allowed or f.boolean("bonus_allowed"),
    )
    if here.line is None and not f.has("line"):
        problems.append(error(f.pos, f"indicator '{ident}' has no line (线): add 'line:' here or on a parent"))
    children = tuple(
        child
        for item in maps_in(f.sequence("children"), "children", problems)
        if (child := _load_indicator(item, here, problems)) is not None
    )
    method = f.text("method")
    _check_leaf_shape(f, method, problems)
    rules = tuple(_load_rule(item, here.prefix, problems) for item in maps_in(f.sequence("rules"), "rules", problems))
    if ident is None or points is None or label is None:
        return None
    return Indicator(
        id=ident,
        full_id=here.prefix[:-1],
        label=label,
        is_goal=not f.has("name"),
        points=points,
        line=here.line or "",
        children=children,
        rules=rules,
        method=method,
        unit=f.text("unit") or "",
        targets=_load_targets(f, problems),
        zero_below=f.decimal("zero_below"),
        bonus=_load_bonus(f.mapping("bonus"), problems),
        veto_allowed=here.veto_allowed,
        bonus_allowed=here.bonus_allowed,
        pos=node.pos,
        spots=f.spots(),
    )


def _indicator_label(f: Fields) -> str | None:
    if f.has("name") and f.has("goal"):
        f.problems.append(error(f.key_pos("goal"), "an indicator has 'name' or 'goal', not both"))
    if not f.has("name") and not f.has("goal"):
        f.problems.append(error(f.pos, "missing key 'name' (or 'goal') in an indicator"))
        return None
    return f.text("name") if f.has("name") else f.text("goal")


def _check_leaf_shape(f: Fields, method: str | None, problems: list[Diagnostic]) -> None:
    has_children, has_rules = f.has("children"), f.has("rules")
    if method is not None and method != "ratio":
        problems.append(error(f.pos_of("method"), f"unknown method '{method}' (the only method is 'ratio')"))
    kinds = [k for k, present in (("children", has_children), ("rules", has_rules), ("method", method)) if present]
    if len(kinds) > 1:
        problems.append(
            error(f.key_pos(kinds[1]), f"an indicator has one of children, rules or method, not {' and '.join(kinds)}")
        )
    elif not kinds:
        problems.append(error(f.pos, "a leaf indicator needs 'rules' or 'method: ratio'"))
    if method != "ratio":
        for key in RATIO_KEYS:
            if f.has(key):
                problems.append(error(f.key_pos(key), f"'{key}' belongs only on a leaf with 'method: ratio'"))
    elif not f.has("targets"):
        problems.append(error(f.pos, "a ratio leaf needs 'targets' (at least 'default' or one per community)"))


def _load_targets(f: Fields, problems: list[Diagnostic]) -> dict[str, Decimal]:
    node = f.mapping("targets")
    if node is None:
        return {}
    targets: dict[str, Decimal] = {}
    for key, value in node.items:
        if not isinstance(value, YScalar) or value.is_null:
            problems.append(error(value.pos, f"target '{key.text}' must be a decimal number"))
            continue
        number = to_decimal(value, f"targets.{key.text}", problems, positive=True)
        if number is not None:
            targets[key.text] = number
    return targets


def _load_bonus(node: YMap | None, problems: list[Diagnostic]) -> Bonus | None:
    if node is None:
        return None
    f = Fields.of(node, "bonus", problems)
    step, add, most = f.decimal("step", positive=True), f.decimal("add", positive=True), f.decimal("max", positive=True)
    if step is None or add is None or most is None:
        return None
    return Bonus(step, add, most)


def _load_rule(node: YMap, prefix: str, problems: list[Diagnostic]) -> Rule:
    f = Fields.of(node, "rule", problems)
    ident = f.ident("id") or ""
    rule = Rule(
        id=ident,
        full_id=f"{prefix}{ident}",
        text=f.text("text") or "",
        per=f.decimal("per", positive=True),
        add=f.decimal("add", positive=True),
        discretionary=f.boolean("discretionary"),
        zero=f.boolean("zero"),
        veto=f.boolean("veto"),
        pos=node.pos,
        spots=f.spots(),
    )
    kinds = [k for k in RULE_KINDS if f.has(k) and (k in ("per", "add") or getattr(rule, k))]
    if len(kinds) > 1:
        problems.append(error(f.key_pos(kinds[1]), f"rule '{rule.full_id}' has more than one kind: {', '.join(kinds)}"))
    elif not kinds and not rule.veto:
        problems.append(error(f.pos, f"rule '{rule.full_id}' needs a kind: per, discretionary, zero, add or veto"))
    if rule.veto and kinds and kinds != ["per"]:
        problems.append(error(f.key_pos("veto"), f"a veto rule may be combined only with 'per', not '{kinds[0]}'"))
    return rule


# --- communities ------------------------------------------------------------------------


def load_communities(source: ContentSource, problems: list[Diagnostic]) -> tuple[tuple[Community, ...], bool]:
    """The communities, and whether the file marks them as sample data (``sample: true``)."""
    root = read_map(source, COMMUNITIES_PATH, problems)
    if root is None:
        return (), False
    f = Fields.of(root, "communities", problems)
    found = maps_in(f.sequence("communities"), "communities", problems)
    return tuple(_load_community(m, problems) for m in found), f.boolean("sample")


def _load_community(node: YMap, problems: list[Diagnostic]) -> Community:
    f = Fields.of(node, "community", problems)
    staff_node = f.mapping("staff")
    staff: dict[str, str] = {}
    if staff_node is not None:
        for key, value in staff_node.items:
            if isinstance(value, YScalar) and not value.is_null:
                staff[key.text] = value.text
            else:
                problems.append(error(value.pos, f"staff of line '{key.text}' must be a person's name"))
    return Community(
        id=f.ident("id") or "",
        name=f.text("name") or "",
        secretary=f.text("secretary") or "",
        staff=staff,
        pos=node.pos,
        spots=f.spots(),
    )


# --- ledgers ----------------------------------------------------------------------------


def load_ledger(source: ContentSource, path: str, problems: list[Diagnostic]) -> Ledger | None:
    root = read_map(source, path, problems, hints=(texts_cut_by_comments,))
    if root is None:
        return None
    f = Fields.of(root, "ledger", problems)
    line = f.ident("line") or ""
    loaded = [_load_entry(m, line, problems) for m in maps_in(f.sequence("entries"), "entries", problems)]
    return Ledger(
        path=path,
        line=line,
        year=f.integer("year") or 0,
        review=_load_review(f.mapping("review"), problems),
        entries=tuple(entry for entry in loaded if isinstance(entry, Entry)),
        incomplete=tuple(entry for entry in loaded if isinstance(entry, IncompleteEntry)),
        visits=tuple(v for m in maps_in(f.sequence("visits"), "visits", problems) if (v := _load_visit(m, problems))),
        pos=f.pos_of("line"),
        spots=f.spots(),
    )


def _load_review(node: YMap | None, problems: list[Diagnostic]) -> Review | None:
    if node is None:
        return None
    f = Fields.of(node, "review", problems)
    by, when = f.text("by"), f.date("date")
    if by is None or when is None:
        return None
    return Review(by, when, pos=node.pos, spots=f.spots())


def _load_visit(node: YMap, problems: list[Diagnostic]) -> Visit | None:
    """A visit to the communities (FORMAT.md §4 ``visits``), with the consent it was given, if any."""
    f = Fields.of(node, "visit", problems)
    when = f.date("date")
    consent = None
    consent_node = f.mapping("consent")
    if consent_node is not None:
        cf = Fields.of(consent_node, "consent", problems)
        by, given = cf.text("by"), cf.date("date")
        if by is not None and given is not None:
            consent = Consent(by, given, pos=consent_node.pos, spots=cf.spots())
    if when is None:
        return None
    return Visit(date=when, consent=consent, note=f.text("note") or "", pos=node.pos, spots=f.spots())


def _load_entry(node: YMap, line: str, problems: list[Diagnostic]) -> Entry | IncompleteEntry:
    """The entry; an :class:`IncompleteEntry` when a value is missing or wrong (each reported here)."""
    f = Fields.of(node, "entry", problems)
    when = f.date("date")
    community = f.text("community")
    if f.has("rule") == f.has("indicator"):
        problems.append(error(f.pos, "an entry cites either a 'rule' or an 'indicator' (for amounts), exactly one"))
    count = f.integer("count", minimum=1)
    deduct = f.decimal("deduct", positive=True)
    amount = f.decimal("amount", positive=True)
    note, evidence = f.text("note"), f.text("evidence")
    spots = f.spots()
    if note is not None and not note.strip():  # a blank note says nothing: no note (a rule that needs one says so)
        note = None
        del spots["note"]
    rule, indicator = f.text("rule"), f.text("indicator")
    values = {"count": count, "deduct": deduct, "amount": amount}
    wrong = [key for key in ENTRY_VALUES if f.has(key) and values[key] is None]  # already reported
    if when is None or community is None or (rule is None and indicator is None) or wrong:
        return IncompleteEntry(
            line=line,
            date=when,
            community=community,
            rule=rule,
            indicator=indicator,
            count=count,
            deduct=deduct,
            amount=amount,
            note=note or "",
            evidence=evidence or "",
            internal=f.boolean("internal"),
            pos=node.pos,
            spots=spots,
        )
    return Entry(
        line=line,
        date=when,
        community=community,
        rule=rule,
        indicator=indicator,
        count=count,
        deduct=deduct,
        amount=amount,
        note=note or "",
        evidence=evidence or "",
        internal=f.boolean("internal"),
        pos=node.pos,
        spots=spots,
    )


# --- history and decision ---------------------------------------------------------------


def load_history(source: ContentSource, path: str, problems: list[Diagnostic]) -> HistoryYear | None:
    root = read_map(source, path, problems)
    if root is None:
        return None
    f = Fields.of(root, "history", problems)
    year = f.integer("year")
    communities = tuple(
        c for m in maps_in(f.sequence("communities"), "communities", problems) if (c := _load_history_row(m, problems))
    )
    if year is None:
        return None
    if PurePosixPath(path).stem != str(year):
        problems.append(error(f.pos_of("year"), f"history file {PurePosixPath(path).name} holds year {year}"))
    return HistoryYear(path=path, year=year, communities=communities, pos=root.pos, spots=f.spots())


def _load_history_row(node: YMap, problems: list[Diagnostic]) -> HistoryCommunity | None:
    f = Fields.of(node, "history-row", problems)
    ident, total, rank = f.text("id"), f.decimal("total"), f.integer("rank", minimum=1)
    categories: dict[str, HistoryCategory] = {}
    cats = f.mapping("categories")
    for key, value in cats.items if cats is not None else ():
        if not isinstance(value, YMap):
            problems.append(error(value.pos, f"category '{key.text}' must be a mapping of score, rank, staff"))
            continue
        cf = Fields.of(value, "history-category", problems, what=f"category '{key.text}'")
        score, crank = cf.decimal("score"), cf.integer("rank", minimum=1)
        if score is not None and crank is not None:
            categories[key.text] = HistoryCategory(score, crank, cf.text("staff") or "")
    if ident is None or total is None or rank is None:
        return None
    return HistoryCommunity(
        id=ident,
        total=total,
        rank=rank,
        vetoed=f.boolean("vetoed"),
        secretary=f.text("secretary") or "",
        categories=categories,
        pos=node.pos,
        spots=f.spots(),
    )


def load_decision(source: ContentSource, problems: list[Diagnostic]) -> Decision | None:
    root = read_map(source, DECISION_PATH, problems, required=False)
    if root is None:
        return None
    f = Fields.of(root, "decision", problems)
    meeting = f.date("meeting")
    digest = f.text("results_sha256") or "" if f.has("results_sha256") else ""
    if digest and not (len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
        problems.append(error(f.pos_of("results_sha256"), "results_sha256 must be 64 lowercase hex digits"))
    notice = f.mapping("notice")
    number, notice_date, letter_number = "", None, ""
    if notice is not None:
        nf = Fields.of(notice, "decision-notice", problems)
        number, notice_date = nf.text("number") or "", nf.date("date")
        letter_number = nf.text("letter_number") or ""
        if letter_number and not LETTER_NUMBER.search(letter_number):
            problems.append(error(nf.pos_of("letter_number"), LETTER_NUMBER_HINT.format(letter_number)))
            letter_number = ""
    exemptions = tuple(_load_exemption(m, problems) for m in maps_in(f.sequence("exemptions"), "exemptions", problems))
    if meeting is None or notice_date is None:
        return None
    return Decision(
        path=DECISION_PATH,
        meeting=meeting,
        minutes=f.text("minutes") or "",
        results_sha256=digest,
        notice_number=number,
        notice_date=notice_date,
        exemptions=exemptions,
        letter_number=letter_number,
        pos=root.pos,
        spots=f.spots(),
    )


def _load_exemption(node: YMap, problems: list[Diagnostic]) -> Exemption:
    f = Fields.of(node, "exemption", problems)
    return Exemption(
        community=f.text("community") or "",
        person=f.text("person") or "",
        reason=f.text("reason") or "",
        pos=node.pos,
        spots=f.spots(),
    )


# --- the 公示 and its objections ----------------------------------------------------------


def load_publicity(source: ContentSource, problems: list[Diagnostic]) -> Publicity | None:
    """content/publicity.yaml (FORMAT.md §6a), or ``None`` when there is none yet."""
    root = read_map(source, PUBLICITY_PATH, problems, required=False)
    if root is None:
        return None
    f = Fields.of(root, "publicity", problems)
    start, days = f.date("from"), f.integer("working_days", minimum=1)
    found = maps_in(f.sequence("objections"), "objections", problems)
    objections = tuple(o for m in found if (o := _load_objection(m, problems)) is not None)
    if start is None or days is None:
        return None
    return Publicity(
        path=PUBLICITY_PATH,
        start=start,
        working_days=days,
        place=f.text("place") or "",
        address=f.text("address") or "",
        phone=f.text("phone") or "",
        email=f.text("email") or "",
        objections=objections,
        posted=(f.text("posted") or "").strip(),
        pos=root.pos,
        spots=f.spots(),
    )


def _load_objection(node: YMap, problems: list[Diagnostic]) -> Objection | None:
    f = Fields.of(node, "objection", problems)
    ident, received = f.ident("id"), f.date("received")
    review_node = f.mapping("review")
    review = _load_objection_review(review_node, problems)
    if ident is None or received is None or (review_node is not None and review is None):
        return None  # a 复核 that did not read is not taken for none: no check guesses on without it
    return Objection(
        id=ident,
        by=f.text("by") or "",
        community=f.text("community") or "",
        entry=f.text("entry") or "",
        received=received,
        says=f.text("says") or "",
        review=review,
        pos=node.pos,
        spots=f.spots(),
    )


def _load_objection_review(node: YMap | None, problems: list[Diagnostic]) -> ObjectionReview | None:
    if node is None:
        return None
    f = Fields.of(node, "objection-review", problems)
    before = len(problems)
    when, upheld = f.date("date"), f.boolean("upheld")
    if when is None or not f.has("upheld") or len(problems) > before:
        return None
    return ObjectionReview(
        upheld=upheld,
        reason=f.text("reason") or "",
        date=when,
        by=f.text("by") or "",
        change=f.text("change") or "",
        pos=node.pos,
        spots=f.spots(),
    )


# --- everything -------------------------------------------------------------------------


def load_content(source: ContentSource, cache: ParseCache | None = None) -> Loaded:
    """Load every content file; a file that fails to load leaves a gap and its diagnostics.

    With a :class:`~kaohe.content.cache.ParseCache`, a file unchanged since it was last
    loaded is taken from the cache (the same objects and diagnostics, not read again).
    """
    kept = cache or ParseCache()
    problems: list[Diagnostic] = []
    rubric = kept.load(source, RUBRIC_PATH, problems, load_rubric)
    communities, sample = kept.load(source, COMMUNITIES_PATH, problems, load_communities)
    ledger_files = tuple(source.list_files(LEDGER_DIR))
    ledgers = tuple(
        ledger for path in ledger_files if (ledger := kept.load(source, path, problems, in_file(load_ledger, path)))
    )
    history_files = source.list_files(HISTORY_DIR)
    history = tuple(
        year for path in history_files if (year := kept.load(source, path, problems, in_file(load_history, path)))
    )
    decision = kept.load(source, DECISION_PATH, problems, load_decision)
    publicity = kept.load(source, PUBLICITY_PATH, problems, load_publicity)
    kept.prune()
    content = Content(rubric, communities, ledgers, history, decision, sample, ledger_files, publicity=publicity)
    return Loaded(content, problems)


def in_file(loader: Callable[[ContentSource, str, list[Diagnostic]], T], path: str) -> Loader[T]:
    """A loader of one of many files of a kind (a ledger, a history year), bound to its path."""
    return lambda source, problems: loader(source, path, problems)
