"""A clerk's note cut short by a ``#``: in YAML a ``#`` after a space starts a comment, to the end of the line.

``note: 3号楼 #2单元漏水`` is read as the note ``3号楼``; the rest is dropped without a word, and
``note: #3号楼`` is read as no note at all. So each ledger's text is looked at for a ``#`` that
follows a note or evidence written without quotes after a single space or tab, as a ``#`` typed
into the text does, or that leaves it empty (a warning: the build goes on). A comment set off by
two spaces or more (``note: 已整改  # 6月补录``, as yamllint asks) is taken for the comment it is;
quotes around the note, or the comment on a line of its own, say so too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kaohe.errors import Diagnostic, Pos, warning

TEXT_KEYS = ("note", "evidence")  # an entry's own words (:mod:`kaohe.content.load`)
QUOTES_OR_BLOCK = "'\"|>"  # a quoted text, or a block: a '#' there is the text's own

COMMENT_STARTS = (" #", "\t#")  # where a comment may start; rare in a ledger, so looked for first
# A line that gives one of TEXT_KEYS a plain value with a comment after it: the value before the
# comment (maybe nothing), the spaces before it and the comment. The key may follow a list's dash.
CUT_TEXT = re.compile(
    rf"[ \t]*(?:-[ \t]+)?({'|'.join(TEXT_KEYS)}):"
    rf"(?:[ \t]+([^{QUOTES_OR_BLOCK}\s#][^\n]*?))?"
    r"([ \t]+)(#[^\n]*)"
)


def texts_cut_by_comments(path: str, text: str) -> list[Diagnostic]:
    """A warning at every ``#`` that ends a note or evidence written without quotes."""
    found: list[Diagnostic] = []
    for start, end in sorted(set(_lines_with_a_comment(text))):
        match = CUT_TEXT.fullmatch(text, start, end)
        if match is not None and (not match.group(2) or len(match.group(3)) == 1):
            found.append(_warning(path, text, match))
    return found


def _lines_with_a_comment(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line holding a space or tab then '#' (``str.find``: a ledger of 8 MB in milliseconds)."""
    for sign in COMMENT_STARTS:
        at = text.find(sign)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            yield start, end - 1 if text[end - 1] == "\r" else end  # a line of a CRLF file without its CR
            at = text.find(sign, end)


def _warning(path: str, text: str, match: re.Match[str]) -> Diagnostic:
    key, kept, comment = match.group(1), match.group(2), match.group(4)
    start = match.start(4)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    read_as = f"is read as '{kept}'" if kept else "is read as nothing"
    message = (
        f"'#' after a space starts a YAML comment: the {key} {read_as} and '{comment}' is left out;"
        f" to keep it, put the whole {key} in quotes ({key}: \"…\") or write the full-width '＃'"
    )
    return warning(Pos(path, line, column), message)
