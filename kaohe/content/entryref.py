"""Entry references: naming one ledger entry in another file (an objection, its 复核).

An entry has no id of its own; the import and the merge driver recognise an entry by what
it says: its date, community and rule or indicator. A reference writes those, with the
ledger's line first, separated by ``/``::

    party/2008-03-12/ziqiao/party.culture.sports.discretionary

When the ledger holds several entries with the same four, ``#N`` picks the N-th of them
in file order (``…/party.org.meeting#2``). FORMAT.md §6a.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kaohe.content.model import Content, Entry
from kaohe.errors import did_you_mean

REMOVED = "removed"  # an upheld objection's change: the entry was taken out of the ledger
FORM = "line/YYYY-MM-DD/community/rule"
PATTERN = re.compile(r"^([a-z0-9-]+)/(\d{4}-\d{2}-\d{2})/([^/#\s]+)/([^/#\s]+)(?:#([1-9]\d*))?$")


@dataclass(frozen=True)
class EntryRef:
    """A parsed entry reference; ``nth`` is 0 when no ``#N`` was written."""

    line: str
    date: date
    community: str
    cites: str
    nth: int = 0

    @property
    def key(self) -> str:
        """The reference without ``#N``."""
        return f"{self.line}/{self.date.isoformat()}/{self.community}/{self.cites}"


def parse_ref(text: str) -> EntryRef | None:
    """The reference ``text`` names, or ``None`` when it is not of the form ``line/date/community/rule[#N]``."""
    match = PATTERN.match(text.strip())
    if match is None:
        return None
    try:
        day = date.fromisoformat(match.group(2))
    except ValueError:
        return None
    nth = int(match.group(5)) if match.group(5) else 0
    return EntryRef(match.group(1), day, match.group(3), match.group(4), nth)


def ref_of(entry: Entry) -> str:
    """The reference of ``entry`` without ``#N``."""
    return f"{entry.line}/{entry.date.isoformat()}/{entry.community}/{entry.cites}"


def matching(ref: EntryRef, entries: Iterable[Entry]) -> list[Entry]:
    """The entries of ``ref``'s line with its date, community and rule or indicator, in file order."""
    return [e for e in entries if e.line == ref.line and ref_of(e) == ref.key]


@dataclass(frozen=True)
class Resolved:
    """What a reference names: one entry, or why none (``problem`` in words, with a hint)."""

    entry: Entry | None = None
    problem: str = ""


def resolve(content: Content, text: str) -> Resolved:
    """The one entry ``text`` names in ``content``, or the reason it names none (with a did-you-mean)."""
    ref = parse_ref(text)
    if ref is None:
        return Resolved(problem=f"'{text}' is not an entry reference ({FORM}, optionally #N)")
    entries = [e for e in content.entries() if e.line == ref.line]
    found = matching(ref, entries)
    if not found:
        return Resolved(problem=f"no entry '{ref.key}'{_closest(ref, entries, content)}")
    if ref.nth == 0 and len(found) > 1:
        return Resolved(problem=f"'{ref.key}' matches {len(found)} entries: add #1 … #{len(found)} (in file order)")
    if ref.nth > len(found):
        return Resolved(problem=f"'{text}': the ledger holds only {len(found)} such entries")
    return Resolved(entry=found[max(ref.nth, 1) - 1])


def _closest(ref: EntryRef, entries: list[Entry], content: Content) -> str:
    wrong_part = part_problem(content, ref)
    if wrong_part:
        return f": {wrong_part}"
    if not entries:
        lines = {ledger.line for ledger in content.ledgers}
        if ref.line in lines:
            return f" (the ledger of line '{ref.line}' holds no entries)"
        return f" (no ledger of line '{ref.line}'){did_you_mean(ref.line, lines)}"
    own = [e for e in entries if e.community == ref.community]  # an objection is about its own community
    return did_you_mean(ref.key, {ref_of(e) for e in own or entries}, list_up_to=0)


def part_problem(content: Content, ref: EntryRef) -> str:
    """What is wrong with one part of a reference by itself: its community, or its rule and line ("" if none).

    Said before any did-you-mean over whole references, which would offer another community's entry
    for a community written by name, or another line's entry for a rule of the wrong line.
    """
    communities = {c.id: c.name for c in content.communities}
    if communities and ref.community not in communities:
        by_name = next(
            (cid for cid, name in communities.items() if ref.community in (name, name.removesuffix("社区"))), ""
        )
        hint = f" (did you mean '{by_name}'?)" if by_name else did_you_mean(ref.community, communities)
        return f"'{ref.community}' is not a community id{hint}"
    rubric = content.rubric
    if rubric is None:
        return ""
    rule = rubric.rule_index().get(ref.cites)
    node = rule[0] if rule is not None else rubric.indicator_index().get(ref.cites)
    if node is None:
        return f"the rubric has no rule '{ref.cites}'{did_you_mean(ref.cites, rubric.rule_index())}"
    if node.line != ref.line:
        return f"'{ref.cites}' is a rule of line '{node.line}', not of '{ref.line}'"
    return ""
