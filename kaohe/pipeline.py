"""The named stages from content files to results, gathering every diagnostic.

``load`` → ``validate`` → ``score``; scoring runs only when nothing before it
reported an error, so results are never computed from content known to be wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kaohe.check.checks import validate
from kaohe.collector import collector_paused, paused_then_kept
from kaohe.content.cache import ParseCache
from kaohe.content.load import load_content
from kaohe.content.model import Content
from kaohe.content.source import ContentSource
from kaohe.errors import Diagnostic, has_errors, sort_diagnostics
from kaohe.scoring.results import Results, compute_results


@dataclass
class Outcome:
    content: Content | None = None
    results: Results | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.results is not None and not has_errors(self.diagnostics)


Stage = Callable[[Outcome], None]


def stage_load(outcome: Outcome, source: ContentSource, cache: ParseCache | None) -> None:
    loaded = load_content(source, cache)
    outcome.content = loaded.content
    outcome.diagnostics += loaded.diagnostics


def stage_validate(outcome: Outcome) -> None:
    assert outcome.content is not None
    outcome.diagnostics += validate(outcome.content)


def stage_score(outcome: Outcome) -> None:
    assert outcome.content is not None
    if has_errors(outcome.diagnostics) or outcome.content.rubric is None:
        return
    outcome.results, problems = compute_results(outcome.content)
    outcome.diagnostics += problems


def run(source: ContentSource, cache: ParseCache | None = None, kept: bool = False) -> Outcome:
    """Load (unchanged files from ``cache``, when given), validate and score the content of ``source``.

    ``kept``: the outcome lasts as long as the command; leave it out of the cycle collector's
    sight (:func:`kaohe.collector.paused_then_kept`).
    """
    outcome = Outcome()
    with paused_then_kept() if kept else collector_paused():
        stage_load(outcome, source, cache)
        for stage in (stage_validate, stage_score):
            stage(outcome)
    outcome.diagnostics = sort_diagnostics(outcome.diagnostics)
    return outcome
