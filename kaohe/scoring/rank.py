"""Competition ranking, award ranks with back-fill past vetoed communities, and awards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kaohe.content.model import Award


def competition_ranks(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Highest first; equal values share a rank and the next rank skips (1, 1, 3)."""
    ordered = sorted(values.values(), reverse=True)
    first_index: dict[Decimal, int] = {}
    for index, value in enumerate(ordered):
        first_index.setdefault(value, index)
    return {key: first_index[value] + 1 for key, value in values.items()}


def award_ranks(totals: Mapping[str, Decimal], vetoed: set[str]) -> dict[str, int | None]:
    """Ranks among the communities not vetoed (名次递补); a vetoed community has none."""
    eligible = competition_ranks({k: v for k, v in totals.items() if k not in vetoed})
    return {key: eligible.get(key) for key in totals}


@dataclass(frozen=True)
class Granted:
    award: Award | None

    @property
    def name(self) -> str | None:
        return self.award.name if self.award else None

    @property
    def reward(self) -> int:
        return self.award.reward if self.award else 0


def award_for(award_rank: int | None, awards: Sequence[Award]) -> Granted:
    """The first award whose rank range holds ``award_rank``."""
    if award_rank is not None:
        for award in awards:
            if award.from_rank <= award_rank <= award.to_rank:
                return Granted(award)
    return Granted(None)


def last_place(values: Mapping[str, Decimal]) -> set[str]:
    """Every key holding the lowest value (ties share last place)."""
    if not values:
        return set()
    lowest = min(values.values())
    return {key for key, value in values.items() if value == lowest}
