"""``build --as-of DATE``: the checked working tree, its results replaced by those from the entries up to DATE."""

from __future__ import annotations

from datetime import date

from kaohe.actions.check import CheckResult
from kaohe.pipeline import Outcome
from kaohe.scoring.asof import cut, outside_period, results_as_of


def outside_message(checked: CheckResult, day: date) -> str:
    """Why ``day`` cannot be used (outside the assessment period), or empty."""
    results = checked.results
    if results is None or not outside_period(results.rubric, day):
        return ""
    rubric = results.rubric
    return f"--as-of {day.isoformat()} is outside the assessment period ({rubric.period_from} to {rubric.period_to})"


def check_as_of(checked: CheckResult, day: date) -> CheckResult:
    """The same diagnostics (the whole content is checked), with the results as of ``day``.

    Content with errors, or a day outside the period, stays as it was checked.
    """
    results = checked.results
    if results is None or outside_period(results.rubric, day):
        return checked
    content = results.content
    outcome = Outcome(content=cut(content, day), results=results_as_of(content, day), diagnostics=checked.diagnostics)
    return CheckResult(outcome)
