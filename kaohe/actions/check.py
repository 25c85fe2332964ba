"""``check``: load, validate and score the working tree, and say whether the results are final.

When the results differ from those the 班子会 approved, the result also says
what changed (:mod:`kaohe.actions.approval`), so the command can say it loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kaohe.actions.approval import explain_mismatch
from kaohe.actions.posted import posted_results
from kaohe.content.cache import ParseCache
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic, has_errors, sort_diagnostics
from kaohe.pipeline import Outcome, run
from kaohe.render.vocab import draft_reason_en
from kaohe.scoring.results import Results

OUTPUT_DIR = "output"


@dataclass(frozen=True)
class CheckResult:
    """Every diagnostic, the results when there are no errors, and what changed after approval."""

    outcome: Outcome
    changed_after_approval: tuple[str, ...] = ()  # lines saying what differs from the approved results

    @property
    def ok(self) -> bool:
        return self.outcome.ok

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.outcome.diagnostics

    @property
    def results(self) -> Results | None:
        return self.outcome.results if self.ok else None

    def draft_reasons(self) -> list[str]:
        results = self.results
        if results is None:
            return []
        return [draft_reason_en(draft) for draft in results.finality.drafts]

    def as_json(self) -> dict[str, Any]:
        items = [d.as_json() for d in self.diagnostics]
        errors = sum(1 for d in self.diagnostics if d.is_error)
        payload: dict[str, Any] = {"diagnostics": items, "errors": errors, "warnings": len(items) - errors}
        results = self.results
        if results is not None:
            payload |= {
                "year": results.year,
                "final": results.final,
                "stage": str(results.stage),
                "results_sha256": results.sha256,
                "draft_reasons": self.draft_reasons(),
                "changed_after_approval": list(self.changed_after_approval),
            }
        return payload


def with_posted(outcome: Outcome, root: Path) -> Outcome:
    """The outcome with the results the 公示 showed, or with the error that keeps them from being read."""
    if outcome.results is None or has_errors(outcome.diagnostics):
        return outcome
    posted = posted_results(outcome.results, root)
    diagnostics = sort_diagnostics([*outcome.diagnostics, *posted.diagnostics])
    if posted.results is None:
        return replace(outcome, diagnostics=diagnostics)
    return replace(outcome, results=replace(outcome.results, posted=posted.results), diagnostics=diagnostics)


def check(root: Path, kept: bool = False) -> CheckResult:
    """Check the content of the project at ``root``, and read the posted 公示 back (:mod:`kaohe.actions.posted`).

    ``kept``: the result lasts as long as the command (a build, the ``check`` command), out of the
    cycle collector's sight (:func:`kaohe.pipeline.run`).
    """
    outcome = with_posted(run(WorkingTree(root), ParseCache.at(root), kept), root)
    results = outcome.results
    if results is None or has_errors(outcome.diagnostics) or results.finality.changed_after_approval is None:
        return CheckResult(outcome)
    return CheckResult(outcome, tuple(explain_mismatch(results, root, root / OUTPUT_DIR)))
