"""The optional mapping file (``--mapping FILE``): which sheet, which row holds the headings, which column is which.

A small YAML file, every key optional::

    sheet: 党群线台帐        # the sheet to read (as --sheet)
    header_row: 3            # the row holding the headings; the entries start below it
    columns:                 # key → the column's heading, or its letter
      date: 检查时间
      community: B
      rule: 考核内容
      note: 情况

The keys of ``columns`` are those of :data:`kaohe.render.vocab.SHEET_COLUMNS`: ``date``,
``community``, ``rule`` (a rule or a ratio indicator), ``count``, ``deduct``, ``amount``, ``note``,
``evidence``. A column the file does not name is still found by its usual headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string

from kaohe.content.yamlnodes import TAG_INT, YMap, YScalar, parse_yaml
from kaohe.errors import Diagnostic, Pos, did_you_mean, error
from kaohe.render.vocab import SHEET_COLUMNS

LETTERS = re.compile(r"^[A-Z]{1,3}$")
TOP_KEYS = ("sheet", "header_row", "columns")


@dataclass(frozen=True)
class Mapping:
    """What a mapping file says; ``columns`` maps a key to a heading, ``letters`` to a 1-based column."""

    sheet: str = ""
    header_row: int = 0  # 0: find it
    columns: dict[str, str] = field(default_factory=dict)
    letters: dict[str, int] = field(default_factory=dict)


def read_mapping(path: Path, shown: str) -> tuple[Mapping, list[Diagnostic]]:
    """The mapping file at ``path`` (``shown`` names it in diagnostics); every problem at its line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return Mapping(), [error(Pos(shown), f"cannot read the mapping file: {exc}")]
    root, problems = parse_yaml(shown, text)
    if problems or root is None:
        return Mapping(), problems or [error(Pos(shown), "the mapping file is empty")]
    if not isinstance(root, YMap):
        return Mapping(), [error(root.pos, "a mapping file is a mapping (sheet, header_row, columns)")]
    return mapping_of(root)


def mapping_of(root: YMap) -> tuple[Mapping, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    for key, _value in root.items:
        if key.text not in TOP_KEYS:
            problems.append(error(key.pos, f"unknown key '{key.text}'{did_you_mean(key.text, TOP_KEYS)}"))
    sheet = scalar_text(root.get("sheet"), "sheet", problems)
    header_row = row_number(root.get("header_row"), problems)
    columns, letters = column_names(root.get("columns"), problems)
    return Mapping(sheet, header_row, columns, letters), problems


def scalar_text(node: object, what: str, problems: list[Diagnostic]) -> str:
    if node is None:
        return ""
    if not isinstance(node, YScalar) or node.is_null or not node.text.strip():
        problems.append(error(getattr(node, "pos", Pos("?")), f"'{what}' should be text"))
        return ""
    return node.text.strip()


def row_number(node: object, problems: list[Diagnostic]) -> int:
    if node is None:
        return 0
    if isinstance(node, YScalar) and node.tag == TAG_INT and node.text.isdigit() and int(node.text) >= 1:
        return int(node.text)
    problems.append(error(getattr(node, "pos", Pos("?")), "'header_row' should be a row number (1, 2, …)"))
    return 0


def column_names(node: object, problems: list[Diagnostic]) -> tuple[dict[str, str], dict[str, int]]:
    """The ``columns`` mapping: headings by key, and column numbers for the keys given as letters."""
    columns: dict[str, str] = {}
    letters: dict[str, int] = {}
    if node is None:
        return columns, letters
    if not isinstance(node, YMap):
        problems.append(error(getattr(node, "pos", Pos("?")), "'columns' should map keys to headings or letters"))
        return columns, letters
    for key, value in node.items:
        if key.text not in SHEET_COLUMNS:
            problems.append(error(key.pos, f"unknown column key '{key.text}'{did_you_mean(key.text, SHEET_COLUMNS)}"))
            continue
        name = scalar_text(value, f"columns.{key.text}", problems)
        if LETTERS.match(name):
            letters[key.text] = column_index_from_string(name)
        elif name:
            columns[key.text] = name
    return columns, letters
