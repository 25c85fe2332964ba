"""Facts made from one year's results are made once per results object, and never handed to another."""

from __future__ import annotations

from typing import Any, cast

from kaohe.render.per_results import REMEMBERED, per_results
from kaohe.scoring.results import Results


class Year:
    """Stands in for a results object: equal to every other, so only identity can tell two apart."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Year)

    __hash__ = object.__hash__


def counting() -> tuple[list[tuple[Any, ...]], Any]:
    calls: list[tuple[Any, ...]] = []

    @per_results
    def answer(results: Results, epoch: int | None, public: bool = False) -> tuple[int, ...]:
        calls.append((results, epoch, public))
        return (len(calls),)

    return calls, answer


def test_the_same_results_asked_again_get_the_first_answer_without_making_it_again() -> None:
    calls, answer = counting()
    year = cast(Results, Year())
    first = answer(year, 0)
    assert answer(year, 0) is first
    assert len(calls) == 1


def test_equal_results_that_are_not_the_same_object_are_asked_afresh() -> None:
    calls, answer = counting()
    answer(cast(Results, Year()), 0)
    answer(cast(Results, Year()), 0)
    assert len(calls) == 2  # a serve process scores again: an equal year is a new question


def test_other_arguments_are_another_question() -> None:
    calls, answer = counting()
    year = cast(Results, Year())
    assert answer(year, 0) != answer(year, 1) != answer(year, 1, public=True)
    assert answer(year, 1, public=True) == (3,)
    assert len(calls) == 3


def test_only_the_last_few_results_are_kept() -> None:
    calls, answer = counting()
    years = [cast(Results, Year()) for _ in range(REMEMBERED + 1)]
    for year in years:
        answer(year, 0)
    answer(years[-1], 0)  # still kept
    assert len(calls) == REMEMBERED + 1
    answer(years[0], 0)  # the oldest was let go
    assert len(calls) == REMEMBERED + 2
