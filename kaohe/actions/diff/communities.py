"""What changed in the list of communities (``communities.yaml``): which community, which field, old → new.

Communities are matched by id. A field is ``name``, ``secretary`` (党总支书记) or
``staff.<line>`` (the staff member in charge of that line, 分管工作人员).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kaohe.content.model import Community, Content
from kaohe.scoring.delta import ADDED, CHANGED, REMOVED


@dataclass(frozen=True)
class FieldChange:
    field: str  # name | secretary | staff.<line id>
    old: str | None  # None: not set on that side
    new: str | None


@dataclass(frozen=True)
class CommunityChange:
    change: str  # added | removed | changed
    id: str
    name: str  # as the new side names it (the old side's for a removed community)
    fields: tuple[FieldChange, ...] = ()  # for a change: what differs, in file order


def fields_of(community: Community) -> dict[str, str]:
    """A community's fields by name, the staff as ``staff.<line>``."""
    staff = {f"staff.{line}": person for line, person in community.staff.items()}
    return {"name": community.name, "secretary": community.secretary, **staff}


def field_changes(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[FieldChange, ...]:
    names = list(new) + [name for name in old if name not in new]
    return tuple(FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n))


def _changes(old: Mapping[str, Community], new: Mapping[str, Community]) -> Iterator[CommunityChange]:
    for cid, community in new.items():
        if cid not in old:
            yield CommunityChange(ADDED, cid, community.name)
        elif fields := field_changes(fields_of(old[cid]), fields_of(community)):
            yield CommunityChange(CHANGED, cid, community.name, fields)
    for cid, community in old.items():
        if cid not in new:
            yield CommunityChange(REMOVED, cid, community.name)


def community_changes(old: Content | None, new: Content | None) -> tuple[CommunityChange, ...]:
    """Communities added, removed or changed, in the new file's order, then the removed ones."""
    if old is None or new is None:
        return ()
    return tuple(_changes({c.id: c for c in old.communities}, {c.id: c for c in new.communities}))
