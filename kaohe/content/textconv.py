"""A line-per-item view of content files, for ``git diff`` and ``git log -p`` (a git textconv driver).

In the view every ledger entry, rubric rule and community is one line that
names what it belongs to, so a diff shows whole entries (date, community,
rule, count, note) and rules with their full id, wherever they sit in the file.
Full-line comments come first, in order. A file that does not parse as YAML
is shown as it is.

Run as ``python -m kaohe.content.textconv FILE``; ``scripts/yaml-textconv``
does that for git (see ``.gitattributes``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from kaohe.content.schema import SHAPES
from kaohe.content.yamlnodes import YMap, YNode, YScalar, YSeq, parse_yaml

ENTRY_KEYS = SHAPES["entry"].names  # shown in the entry's line; any other key follows in braces
ENTRY_VALUES = tuple(zip(SHAPES["entry"].pick("count", "deduct", "amount"), ("×", "deduct ", "amount "), strict=True))
INDICATOR_SHOWN = SHAPES["indicator"].pick("id", "name", "goal", "points", "rules", "children")  # the rest: {…}
RULE_SHOWN = SHAPES["rule"].pick("id", "text")  # the rest (its kind): {…}


def scalar(node: YNode | None) -> str:
    """A value as written; a list or mapping in brief YAML flow form."""
    if node is None:
        return ""
    if isinstance(node, YScalar):
        return " ".join(node.text.split())
    if isinstance(node, YSeq):
        return "[" + ", ".join(scalar(item) for item in node.items) + "]"
    return "{" + ", ".join(f"{key.text}: {scalar(value)}" for key, value in node.items) + "}"


def get(node: YNode, key: str) -> YNode | None:
    return node.get(key) if isinstance(node, YMap) else None


def items(node: YNode | None) -> tuple[YNode, ...]:
    return node.items if isinstance(node, YSeq) else ()


def comments(text: str) -> Iterator[str]:
    """Full-line comments in file order (a ``#`` line inside a ``|`` block is taken as one too)."""
    for line in text.splitlines():
        if line.strip().startswith("#"):
            yield line.strip()


def other_keys(node: YMap, shown: tuple[str, ...]) -> Iterator[str]:
    for key, value in node.items:
        if key.text not in shown:
            yield f"{key.text}: {scalar(value)}"


def entry_line(entry: YNode) -> str:
    """``2008-03-12  ziqiao  party.org.democracy.system ×2  — note  〔evidence〕``"""
    cites = scalar(get(entry, "rule") or get(entry, "indicator"))
    parts = [scalar(get(entry, "date")), scalar(get(entry, "community")), cites]
    line = "  ".join(parts) + "".join(
        f" {mark}{scalar(get(entry, key))}" for key, mark in ENTRY_VALUES if get(entry, key)
    )
    if get(entry, "note"):
        line += f"  — {scalar(get(entry, 'note'))}"
    if get(entry, "evidence"):
        line += f"  〔{scalar(get(entry, 'evidence'))}〕"
    extra = list(other_keys(entry, ENTRY_KEYS)) if isinstance(entry, YMap) else [scalar(entry)]
    return line + "".join(f"  {{{item}}}" for item in extra)


def ledger_view(root: YMap) -> Iterator[str]:
    yield from other_keys(root, SHAPES["ledger"].pick("entries"))
    yield "entries:"
    for entry in items(root.get("entries")):
        yield entry_line(entry)


def indicator_lines(node: YNode, prefix: str) -> Iterator[str]:
    full_id = prefix + scalar(get(node, "id"))
    label = scalar(get(node, "name") or get(node, "goal"))
    settings = list(other_keys(node, INDICATOR_SHOWN)) if isinstance(node, YMap) else []
    yield f"{full_id}  ({scalar(get(node, 'points'))})  {label}" + (f"  {{{', '.join(settings)}}}" if settings else "")
    for rule in items(get(node, "rules")):
        kinds = other_keys(rule, RULE_SHOWN) if isinstance(rule, YMap) else iter([scalar(rule)])
        yield f"{full_id}.{scalar(get(rule, 'id'))}  {{{', '.join(kinds)}}}  {scalar(get(rule, 'text'))}"
    for child in items(get(node, "children")):
        yield from indicator_lines(child, full_id + ".")


def rubric_view(root: YMap) -> Iterator[str]:
    for key, value in root.items:
        if key.text == "indicators":
            yield "indicators:"
            for top in items(value):
                yield from indicator_lines(top, "")
        elif key.text == "notice" and isinstance(value, YMap):
            yield from (f"notice.{line}" for line in other_keys(value, SHAPES["notice"].pick("body")))
            body = get(value, "body")
            text = body.text if isinstance(body, YScalar) else scalar(body)
            yield from (f"notice.body| {line}" for line in text.splitlines() if line.strip())
        elif isinstance(value, YSeq):
            yield f"{key.text}:"
            yield from (f"- {scalar(item)}" for item in value.items)
        else:
            yield f"{key.text}: {scalar(value)}"


def list_view(root: YMap) -> Iterator[str]:
    """communities.yaml, history years and anything else: one line per list item."""
    for key, value in root.items:
        if isinstance(value, YSeq):
            yield f"{key.text}:"
            yield from (f"- {scalar(item)}" for item in value.items)
        else:
            yield f"{key.text}: {scalar(value)}"


def view(path: str, text: str) -> str:
    root, problems = parse_yaml(path, text.lstrip("\ufeff"))
    if problems or not isinstance(root, YMap):
        return text
    if root.get("entries") is not None:
        body = ledger_view(root)
    elif root.get("indicators") is not None:
        body = rubric_view(root)
    else:
        body = list_view(root)
    return "\n".join([*comments(text), *body]) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kaohe.content.textconv FILE", file=sys.stderr)
        return 2
    path = Path(argv[0])
    text = path.read_bytes().decode("utf-8", "replace")
    sys.stdout.buffer.write(view(path.name, text).encode("utf-8"))  # UTF-8 whatever the locale
    return 0


if __name__ == "__main__":  # pragma: no cover - run by git through scripts/yaml-textconv
    sys.exit(main(sys.argv[1:]))
