"""Typed reading of YAML mappings, reporting every problem as a diagnostic.

A :class:`Fields` wraps one mapping: it flags unknown keys (with a did-you-mean)
and missing required keys at once, then hands out typed values. A value of the
wrong type yields ``None`` plus a diagnostic at the value's own position.
:meth:`Fields.of` takes the keys from a :class:`~kaohe.content.schema.Shape`
and then hands out only values of the kind the schema gives each key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from kaohe.content.limits import MAX_AMOUNT, MAX_DIGITS, MAX_PLACES, MAX_REPEATED
from kaohe.content.schema import SHAPES, Kind, Shape
from kaohe.content.yamlnodes import (
    TAG_BOOL,
    TAG_FLOAT,
    TAG_INT,
    TAG_NULL,
    TAG_STR,
    TAG_TIMESTAMP,
    YMap,
    YNode,
    YScalar,
    YSeq,
    report_rest,
)
from kaohe.errors import Diagnostic, Pos, did_you_mean, error

DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
INT_TEXT = re.compile(r"^[+-]?\d+$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_TEXT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def describe(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return "nothing" if node.is_null else f"'{node.text}'"


def full_width_colon_hint(key: str, allowed: Iterable[str]) -> str:
    """`` (write ':' …)`` for a key that is a known one, a full-width colon and its value (``date：2008-06-30``)."""
    name = key.partition("：")[0].strip()
    return (
        f" (after '{name}' write ':' followed by a space, not the full-width '：')"
        if "：" in key and name in allowed
        else ""
    )


class Fields:
    """The keys of one mapping of a known shape, read and checked one at a time; problems are collected."""

    def __init__(self, node: YMap, shape: Shape, problems: list[Diagnostic], what: str | None = None) -> None:
        self.node = node
        self.shape = shape
        self.what = what = what or shape.what
        self.problems = problems
        if not shape.allowed.issuperset(node.values):  # the usual case, every key known, costs one set test
            unknown = [key for key, _value in node.items if key.text not in shape.allowed]
            for key in unknown[:MAX_REPEATED]:
                hint = full_width_colon_hint(key.text, shape.allowed) or did_you_mean(key.text, shape.names)
                problems.append(error(key.pos, f"unknown key '{key.text}' in {what}{hint}"))
            report_rest(problems, unknown, f"unknown keys in {what}")
        for name in shape.required:
            if name not in node.values:
                problems.append(error(node.pos, f"missing key '{name}' in {what}"))

    @classmethod
    def of(cls, node: YMap, shape: str, problems: list[Diagnostic], what: str | None = None) -> Fields:
        """The fields of a mapping of ``shape`` (a name in :data:`~kaohe.content.schema.SHAPES`)."""
        return cls(node, SHAPES[shape], problems, what)

    def _expect(self, key: str, *kinds: Kind) -> None:
        """``key`` must be one of the shape's keys and read as the schema says (a slip in the code, not the content)."""
        found = self.shape.key(key)
        if found is None or (kinds and found.value.kind not in kinds):
            shown = found.value.describe() if found else "not a key"
            raise AssertionError(f"{self.shape.name}.{key} is read as {'/'.join(k.value for k in kinds)}: {shown}")

    @property
    def pos(self) -> Pos:
        return self.node.pos

    def spots(self) -> dict[str, Pos]:
        """Where each key's value stands, for diagnostics found in later stages."""
        return {key.text: value.pos for key, value in self.node.items}

    def has(self, key: str) -> bool:
        self._expect(key)
        value = self.node.get(key)
        return value is not None and not (isinstance(value, YScalar) and value.is_null)

    def pos_of(self, key: str) -> Pos:
        self._expect(key)
        value = self.node.get(key)
        return value.pos if value is not None else self.node.pos

    def key_pos(self, key: str) -> Pos:
        self._expect(key)
        k = self.node.keys.get(key)
        return k.pos if k is not None else self.node.pos

    def _scalar(self, key: str, expected: str) -> YScalar | None:
        value = self.node.get(key)
        if value is None:
            return None
        if not isinstance(value, YScalar) or value.is_null:
            self.problems.append(error(value.pos, f"'{key}' must be {expected}, not {describe(value)}"))
            return None
        return value

    def text(self, key: str) -> str | None:
        self._expect(key, Kind.TEXT, Kind.REF)
        return self._text(key)

    def _text(self, key: str) -> str | None:
        value = self._scalar(key, "text")
        if value is None:
            return None
        if value.tag not in (TAG_STR, TAG_INT, TAG_FLOAT, TAG_TIMESTAMP, TAG_BOOL):
            self.problems.append(error(value.pos, f"'{key}' must be text, not '{value.text}'"))
            return None
        return value.text

    def ident(self, key: str) -> str | None:
        self._expect(key, Kind.ID)
        value = self._text(key)
        if value is not None and not ID_TEXT.match(value):
            self.problems.append(
                error(self.pos_of(key), f"'{key}' '{value}' must be lowercase ASCII letters, digits and '-'")
            )
            return None
        return value

    def decimal(self, key: str, positive: bool = False) -> Decimal | None:
        """A non-negative decimal from its source text; ``positive`` also refuses 0."""
        self._expect(key, Kind.DECIMAL)
        value = self._scalar(key, "a decimal number")
        if value is None:
            return None
        return to_decimal(value, key, self.problems, positive=positive)

    def integer(self, key: str, minimum: int | None = None) -> int | None:
        self._expect(key, Kind.WHOLE)
        value = self._scalar(key, "a whole number")
        if value is None:
            return None
        if value.tag not in (TAG_INT, TAG_STR) or not INT_TEXT.match(value.text):
            self.problems.append(error(value.pos, f"'{key}' must be a whole number, not '{value.text}'"))
            return None
        if not within_digits(value, key, self.problems):
            return None
        number = int(value.text)
        if not within_amount(value, key, Decimal(number), self.problems):
            return None
        if minimum is not None and number < minimum:
            self.problems.append(error(value.pos, f"'{key}' must be at least {minimum}, not {number}"))
            return None
        return number

    def boolean(self, key: str) -> bool:
        self._expect(key, Kind.BOOL)
        value = self._scalar(key, "true or false")
        if value is None:
            return False
        if value.tag != TAG_BOOL:
            self.problems.append(error(value.pos, f"'{key}' must be true or false, not '{value.text}'"))
            return False
        return value.text.lower() == "true"

    def date(self, key: str) -> date | None:
        self._expect(key, Kind.DATE)
        value = self._scalar(key, "a date YYYY-MM-DD")
        if value is None:
            return None
        return to_date(value, key, self.problems)

    def mapping(self, key: str) -> YMap | None:
        self._expect(key, Kind.MAPPING, Kind.ID_MAP)
        value = self.node.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            return None
        if not isinstance(value, YMap):
            self.problems.append(error(value.pos, f"'{key}' must be a mapping, not {describe(value)}"))
            return None
        return value

    def sequence(self, key: str) -> YSeq | None:
        self._expect(key, Kind.LIST)
        value = self.node.get(key)
        if value is None or (isinstance(value, YScalar) and value.is_null):
            return None
        if not isinstance(value, YSeq):
            self.problems.append(error(value.pos, f"'{key}' must be a list, not {describe(value)}"))
            return None
        return value


def to_decimal(value: YScalar, key: str, problems: list[Diagnostic], positive: bool = False) -> Decimal | None:
    """The decimal the text says, within the bounds of :mod:`kaohe.content.limits`; else ``None`` and a diagnostic."""
    if value.tag not in (TAG_INT, TAG_FLOAT, TAG_STR) or not DECIMAL_TEXT.match(value.text.strip()):
        problems.append(error(value.pos, f"'{key}' must be a decimal number, not '{value.text}'"))
        return None
    if not within_digits(value, key, problems):
        return None
    try:
        number = Decimal(value.text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid text
        problems.append(error(value.pos, f"'{key}' must be a decimal number, not '{value.text}'"))
        return None
    if not (within_places(value, key, problems) and within_amount(value, key, number, problems)):
        return None
    if number < 0 or (positive and number == 0):
        bound = "greater than 0" if positive else "0 or more"
        problems.append(error(value.pos, f"'{key}' must be {bound}, not {value.text}"))
        return None
    return number


def _digit_parts(text: str) -> tuple[str, str]:
    """The digits of a number's text before and after its point, without sign or leading zeros."""
    whole, _point, fraction = text.strip().lstrip("+-").partition(".")
    return whole.lstrip("0"), fraction


def within_digits(value: YScalar, key: str, problems: list[Diagnostic]) -> bool:
    """At most :data:`~kaohe.content.limits.MAX_DIGITS` digits, counted on the text before it is converted."""
    whole, fraction = _digit_parts(value.text)
    digits = len(whole) + len(fraction)
    if digits <= MAX_DIGITS:
        return True
    problems.append(error(value.pos, f"'{key}' has {digits:,} digits: a number may have at most {MAX_DIGITS}"))
    return False


def within_places(value: YScalar, key: str, problems: list[Diagnostic]) -> bool:
    """At most :data:`~kaohe.content.limits.MAX_PLACES` decimal places, trailing zeros aside."""
    places = len(_digit_parts(value.text)[1].rstrip("0"))
    if places <= MAX_PLACES:
        return True
    message = f"'{key}' {value.text.strip()} has {places} decimal places: at most {MAX_PLACES} are allowed"
    problems.append(error(value.pos, message))
    return False


def within_amount(value: YScalar, key: str, number: Decimal, problems: list[Diagnostic]) -> bool:
    """At most :data:`~kaohe.content.limits.MAX_AMOUNT` either side of 0."""
    if abs(number) <= MAX_AMOUNT:
        return True
    message = f"'{key}' {value.text.strip()} is too large: a number may be at most {MAX_AMOUNT:,}"
    problems.append(error(value.pos, message))
    return False


def to_date(value: YScalar, key: str, problems: list[Diagnostic]) -> date | None:
    if value.tag not in (TAG_TIMESTAMP, TAG_STR) or not DATE_TEXT.match(value.text):
        problems.append(error(value.pos, f"'{key}' must be a date YYYY-MM-DD, not '{value.text}'"))
        return None
    try:
        return date.fromisoformat(value.text)
    except ValueError:
        problems.append(error(value.pos, f"'{key}' is not a real date: '{value.text}'"))
        return None


def maps_in(seq: YSeq | None, what: str, problems: list[Diagnostic]) -> list[YMap]:
    """The mapping items of a list; any other item is reported (the first :data:`MAX_REPEATED`, then counted)."""
    if seq is None:
        return []
    wrong = [item for item in seq.items if not isinstance(item, YMap)]
    for item in wrong[:MAX_REPEATED]:
        problems.append(error(item.pos, f"each item of {what} must be a mapping, not {describe(item)}"))
    report_rest(problems, wrong, f"items of {what} that are not mappings")
    return [item for item in seq.items if isinstance(item, YMap)]


def texts_in(seq: YSeq | None, what: str, problems: list[Diagnostic]) -> list[str]:
    """The text items of a list; any other item is reported (the first :data:`MAX_REPEATED`, then counted)."""
    if seq is None:
        return []
    found: list[str] = []
    wrong: list[YNode] = []
    for item in seq.items:
        if isinstance(item, YScalar) and not item.is_null and item.tag != TAG_NULL:
            found.append(item.text)
        else:
            wrong.append(item)
    for item in wrong[:MAX_REPEATED]:
        problems.append(error(item.pos, f"each item of {what} must be text, not {describe(item)}"))
    report_rest(problems, wrong, f"items of {what} that are not text")
    return found
