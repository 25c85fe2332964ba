"""Communities and rules as a clerk writes them, matched to their ids.

- A community by its id (``ziqiao``) or its name (``紫桥社区``, or ``紫桥`` without ``社区``).
- A rule or ratio indicator of the line by its full id (``party.org.democracy.system``), by the
  template's choice (the id, a space, the text), by its exact text (a ratio indicator by its
  name), or by a close match with the 扣分标准 text of the rubric (a similarity of at least
  :data:`CLOSE`, or one text containing the other). When several of the line's rules match
  equally well, the cell is ambiguous and the message lists them. A full id of another
  line's rule is passed on, for ``check`` to report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher, get_close_matches

from kaohe.actions.errors import UsageError
from kaohe.actions.spreadsheet.values import Wrong, normal
from kaohe.content.model import COMMUNITY_SUFFIX, Community, Rubric
from kaohe.errors import did_you_mean
from kaohe.render.vocab import template_choice

CLOSE = 0.75  # SequenceMatcher ratio for a close match of a rule's text
TIE = 0.02  # matches this close to the best one are as good
LISTED = 6  # candidates named in a message
ID_LIKE = re.compile(r"^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+$")  # what a rule's full id looks like: party.org.system


def bare_text(text: str) -> str:
    """Text as compared: normalised, without spaces or punctuation."""
    return "".join(ch for ch in normal(text) if ch.isalnum())


class Communities:
    """Find a community's id by its id or name."""

    def __init__(self, communities: Iterable[Community]) -> None:
        self.ids: dict[str, str] = {}
        for community in communities:
            self.ids[community.id] = community.id
            self.ids[bare_text(community.name)] = community.id
            self.ids[bare_text(community.name.removesuffix(COMMUNITY_SUFFIX))] = community.id
        self.names = [community.name for community in communities]

    def find(self, text: str) -> str | Wrong:
        found = self.ids.get(normal(text).lower()) or self.ids.get(bare_text(text))
        if found is not None:
            return found
        # compared without 社区, which every name shares: 新华社区 is not close to 青年社区
        short = {name.removesuffix(COMMUNITY_SUFFIX): name for name in self.names}
        close = get_close_matches(normal(text).removesuffix(COMMUNITY_SUFFIX), list(short), n=1, cutoff=0.5)
        hint = f" (did you mean '{short[close[0]]}'?)" if close else ""
        return Wrong(f"unknown community '{text}'{hint}")


@dataclass(frozen=True)
class Cited:
    """What a rule cell cites: a rule or a ratio indicator, by full id."""

    full_id: str
    is_rule: bool
    guessed_from: str = ""  # the cell's text, when it was neither an id nor a rule's text but came closest to this one


@dataclass(frozen=True)
class Choice:
    """One of the line's rules or ratio indicators, with the text it is known by."""

    cited: Cited
    text: str
    item: str = ""  # the 考核项目 it belongs to (the leaf's label): two rules of one text differ there
    twin: bool = False  # another of the line's rules has the same text: the list names the 考核项目 too

    @property
    def label(self) -> str:
        return template_choice(self.cited.full_id, self.text, self.item if self.twin else "")


def line_choices(rubric: Rubric, line: str) -> list[Choice]:
    """The rules and ratio indicators line ``line`` scores, in rubric order."""
    choices: list[Choice] = []
    for leaf in rubric.leaves():
        if leaf.line != line:
            continue
        if leaf.is_ratio:
            choices.append(Choice(Cited(leaf.full_id, is_rule=False), leaf.label))
        choices.extend(Choice(Cited(rule.full_id, is_rule=True), rule.text, leaf.label) for rule in leaf.rules)
    texts = Counter(bare_text(choice.text) for choice in choices)
    return [replace(choice, twin=texts[bare_text(choice.text)] > 1) for choice in choices]


MOST = 0.6  # a cell's text inside a rule's, and at least this share of it, names that rule; less is a guess


def most_of(wanted: str, text: str) -> bool:
    """``wanted`` is ``text`` but for a little (``制度不健全每项扣0.1`` of ``制度不健全每项扣0.1分``), not a word of it."""
    return wanted in text and len(wanted) >= MOST * len(text)


class Rules:
    """Find what a rule cell cites, among the line's rules (and any rubric id, passed on for ``check``)."""

    def __init__(self, rubric: Rubric, line: str) -> None:
        self.choices = line_choices(rubric, line)
        self.by_id = {rule_id: Cited(rule_id, True) for rule_id in rubric.rule_index()}
        self.by_id |= {leaf.full_id: Cited(leaf.full_id, False) for leaf in rubric.leaves() if leaf.is_ratio}

    def find(self, text: str) -> Cited | Wrong:
        written = normal(text)
        head = written.split(" ", 1)[0]
        if head in self.by_id:
            return self.by_id[head]
        wanted = bare_text(written)
        exact = [c for c in self.choices if bare_text(c.text) == wanted]
        if len(exact) == 1:
            return exact[0].cited
        if not exact:
            exact = self.closest(wanted)
            if len(exact) == 1:
                return (
                    exact[0].cited
                    if most_of(wanted, bare_text(exact[0].text))
                    else replace(exact[0].cited, guessed_from=text)
                )
        if exact:
            listed = "; ".join(template_choice(c.cited.full_id, c.text, c.item) for c in exact[:LISTED])
            more = f" and {len(exact) - LISTED} more" if len(exact) > LISTED else ""
            return Wrong(f"'{text}' matches several rules: {listed}{more}; write the rule's id")
        return Wrong(f"no rule of this line matches '{text}'{self.hint(head, wanted)}")

    def closest(self, wanted: str) -> list[Choice]:
        """The choices whose text contains ``wanted`` or is within it, else those nearly as close as the best."""
        if not wanted:
            return []
        inside = [c for c in self.choices if wanted in bare_text(c.text) or bare_text(c.text) in wanted]
        if inside:
            return inside
        scored = [(SequenceMatcher(None, wanted, bare_text(c.text)).ratio(), c) for c in self.choices]
        best = max((score for score, _c in scored), default=0.0)
        if best < CLOSE:
            return []
        return [c for score, c in scored if score >= best - TIE]

    def hint(self, head: str, wanted: str) -> str:
        """The id meant, for a misspelt id; else the rule whose text comes closest, and how to name it."""
        if ID_LIKE.match(head):
            return did_you_mean(head, (c.cited.full_id for c in self.choices), list_up_to=0)
        scored = sorted(
            ((SequenceMatcher(None, wanted, bare_text(c.text)).ratio(), c) for c in self.choices),
            key=lambda pair: pair[0],
            reverse=True,
        )
        if not scored or scored[0][0] < CLOSE / 2:
            return ""
        closest = scored[0][1]
        return f" (closest: {closest.label}; if that is the one, write its id {closest.cited.full_id} in the cell)"


def line_named(rubric: Rubric, written: str, command: str) -> str:
    """The id of the line ``written`` names: its id, or its name with or without 线 (``党群线``, ``党群``).

    :class:`~kaohe.actions.errors.UsageError` naming every line, id and name, when none matches.
    """
    lines = rubric.line_index()
    if written in lines:
        return written
    wanted = written.strip().removesuffix("线")
    for line in lines.values():
        if wanted and line.name.removesuffix("线") == wanted:
            return line.id
    listed = ", ".join(f"{line.id}（{line.name}）" for line in lines.values())
    raise UsageError(f"{command}: no line '{written}' in the rubric (lines: {listed})")
