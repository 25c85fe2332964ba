"""Facts made from one year's results once, however many renderers and pages ask for them.

A build renders one results object (two with the public edition), and several renderers ask
the same question of it: the PDF notices and their DOCX twins are made from the same view
models, and every page of the site asks for the notices' file names. :func:`per_results`
remembers the answers for the last few results objects, by identity: results are never changed
once scored, and a results object that is equal but not the same (another build in a process
that goes on, such as ``serve``) is asked afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import update_wrapper
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from kaohe.scoring.results import Results

P = ParamSpec("P")
T = TypeVar("T")

REMEMBERED = 4  # the build's results and its public edition's, each asked with two or so argument lists


def per_results(function: Callable[Concatenate[Results, P], T]) -> Callable[Concatenate[Results, P], T]:
    """``function(results, …)`` made once per results object and arguments; the last :data:`REMEMBERED` are kept."""
    seen: list[tuple[Results, tuple[Hashable, ...], T]] = []

    def remembered(results: Results, /, *args: P.args, **kwargs: P.kwargs) -> T:
        asked = (*args, *sorted(kwargs.items()))
        for earlier, arguments, answer in seen:
            if earlier is results and arguments == asked:
                return answer
        answer = function(results, *args, **kwargs)
        seen[:] = [(results, asked, answer), *seen[: REMEMBERED - 1]]
        return answer

    update_wrapper(remembered, function)
    return remembered
