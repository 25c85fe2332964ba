"""Warnings for personal data in free text: mainland mobile numbers and 身份证号 (GB 11643).

A ledger's notes and evidence are published (the site, the PDFs, the public edition, unless the
entry is ``internal``), and so are the 公示's objections and their 复核, so a number that
identifies a person does not belong in them; each warning says where the text goes. A mobile number is 11 digits
starting 13–19 (``1[3-9]``), optionally written 3-4-4 with spaces or hyphens, not part of a
longer run of digits. A 身份证号 is 17 digits and a check digit (0–9 or X) that is right
by GB 11643-1999, with a birth date (digits 7–14) that is a real day from 1900 on and not
after the year's period. Other 18-digit numbers (a serial number, a bank account) are left
alone. The message masks the number, so the diagnostic does not spread it further.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from kaohe.content.model import Content, Entry, IncompleteEntry
from kaohe.errors import Diagnostic, Pos, warning

MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9](?P<sep>[- ]?)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9])")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"  # the check character for each remainder of the weighted sum mod 11
EARLIEST_BIRTH = date(1900, 1, 1)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a 身份证号."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def birth_date(number: str) -> date | None:
    """The birth date a 身份证号 holds (digits 7–14, YYYYMMDD), or None if it is no real day."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_id_number(number: str, latest: date) -> bool:
    """An 18-character 身份证号 with a right check digit and a birth date from 1900 up to ``latest``."""
    born = birth_date(number)
    plausible = born is not None and EARLIEST_BIRTH <= born <= latest
    return plausible and id_check_char(number[:17]) == number[17].upper()


def mask(number: str) -> str:
    """``138****5678``, ``430702********123X``: enough to find it in the text, not enough to use it."""
    digits = number.replace(" ", "").replace("-", "")
    keep = 3 if len(digits) == 11 else 6
    return digits[:keep] + "*" * (len(digits) - keep - 4) + digits[-4:]


def personal_numbers(text: str, latest: date) -> Iterator[tuple[str, str]]:
    """Each (kind, masked number) found in ``text``: kind ``mobile`` or ``id``."""
    for match in ID_NUMBER.finditer(text):
        if is_id_number(match.group(), latest):
            yield "id", mask(match.group())
    for match in MOBILE.finditer(text):
        yield "mobile", mask(match.group())


KIND_WORDS = {"mobile": "a mobile number (手机号)", "id": "a 身份证号 (ID card number)"}

# Where the text goes, and what to do about it: one of these ends each warning.
PUBLISHED = (
    "it is published (the site, the PDFs, the public edition): remove it, keep it outside the content, "
    "or mark the entry 'internal: true' to leave its note and evidence out of the public edition"
)
INTERNAL = (
    "the entry is internal, so the public edition leaves it out, but the internal edition and every copy "
    "of the repository still hold it: keep it outside the content if you can"
)
REPOSITORY = "every copy of the repository holds it: keep it outside the content"
OBJECTION = "the 公示's objections and their 复核 are published, in the public edition too: leave it out"


def text_warnings(pos: Pos, key: str, text: str, latest: date, advice: str) -> Iterator[Diagnostic]:
    for kind, masked in personal_numbers(text, latest):
        yield warning(pos, f"the {key} holds what looks like {KIND_WORDS[kind]}, {masked}: {advice}")


def check_personal_data(content: Content) -> Iterator[Diagnostic]:
    """Notes and evidence of entries, notes of visits and the objections' texts holding a mobile number or a 身份证号."""
    latest = content.rubric.period_to if content.rubric is not None else date.max
    for ledger in content.ledgers:
        every: tuple[Entry | IncompleteEntry, ...] = (*ledger.entries, *ledger.incomplete)
        for entry in every:
            advice = INTERNAL if entry.internal else PUBLISHED
            for key, text in (("note", entry.note), ("evidence", entry.evidence)):
                if text:
                    yield from text_warnings(entry.at(key), key, text, latest, advice)
        for visit in ledger.visits:
            if visit.note:
                yield from text_warnings(visit.at("note"), "note", visit.note, latest, REPOSITORY)
    objections = content.publicity.objections if content.publicity is not None else ()
    for objection in objections:
        yield from text_warnings(objection.at("says"), "objection", objection.says, latest, OBJECTION)
        if objection.review is not None and objection.review.reason:
            review = objection.review
            yield from text_warnings(review.at("reason"), "复核 reason", review.reason, latest, OBJECTION)
